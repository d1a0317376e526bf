#include "operator/runtime/metrics.h"

#include <prometheus/text_serializer.h>

namespace zkop::runtime {

namespace {

using prometheus::Histogram;

// controller-runtime's reconcile_time_seconds buckets.
Histogram::BucketBoundaries reconcileBuckets() {
  return {0.005, 0.01, 0.025, 0.05, 0.1,  0.15, 0.2,  0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6,
          0.7,   0.8,  0.9,   1.0,  1.25, 1.5,  1.75, 2.0,  2.5, 3.0,  3.5, 4.0,  4.5, 5,
          6,     7,    8,     9,    10,   15,   20,   25,   30,  40,   50,  60};
}

// client-go's workqueue buckets: 10 ns × 10^i for i in 0..9.
Histogram::BucketBoundaries queueBuckets() {
  Histogram::BucketBoundaries b;
  double v = 1e-8;
  for (int i = 0; i < 10; ++i, v *= 10) b.push_back(v);
  return b;
}

double seconds(Clock::Duration d) { return std::chrono::duration<double>(d).count(); }

class PrometheusQueueMetrics final : public WorkQueueMetrics {
 public:
  PrometheusQueueMetrics(prometheus::Gauge& depth, prometheus::Counter& adds,
                         prometheus::Counter& retries, prometheus::Histogram& latency,
                         prometheus::Histogram& work)
      : depth_(depth), adds_(adds), retries_(retries), latency_(latency), work_(work) {}
  void added() override { adds_.Increment(); }
  void depth(size_t d) override { depth_.Set(static_cast<double>(d)); }
  void queued(Clock::Duration waited) override { latency_.Observe(seconds(waited)); }
  void worked(Clock::Duration took) override { work_.Observe(seconds(took)); }
  void retried() override { retries_.Increment(); }

 private:
  prometheus::Gauge& depth_;
  prometheus::Counter& adds_;
  prometheus::Counter& retries_;
  prometheus::Histogram& latency_;
  prometheus::Histogram& work_;
};

}  // namespace

Metrics::Metrics()
    : registry_(std::make_shared<prometheus::Registry>()),
      reconcile_total_(prometheus::BuildCounter()
                           .Name("controller_runtime_reconcile_total")
                           .Help("Total number of reconciliations per controller")
                           .Register(*registry_)),
      reconcile_errors_(prometheus::BuildCounter()
                            .Name("controller_runtime_reconcile_errors_total")
                            .Help("Total number of reconciliation errors per controller")
                            .Register(*registry_)),
      reconcile_time_(prometheus::BuildHistogram()
                          .Name("controller_runtime_reconcile_time_seconds")
                          .Help("Length of time per reconciliation per controller")
                          .Register(*registry_)),
      active_workers_(prometheus::BuildGauge()
                          .Name("controller_runtime_active_workers")
                          .Help("Number of currently used workers per controller")
                          .Register(*registry_)),
      queue_depth_(prometheus::BuildGauge()
                       .Name("workqueue_depth")
                       .Help("Current depth of workqueue")
                       .Register(*registry_)),
      queue_adds_(prometheus::BuildCounter()
                      .Name("workqueue_adds_total")
                      .Help("Total number of adds handled by workqueue")
                      .Register(*registry_)),
      queue_retries_(prometheus::BuildCounter()
                         .Name("workqueue_retries_total")
                         .Help("Total number of retries handled by workqueue")
                         .Register(*registry_)),
      queue_latency_(prometheus::BuildHistogram()
                         .Name("workqueue_queue_duration_seconds")
                         .Help("How long in seconds an item stays in workqueue before being "
                               "requested")
                         .Register(*registry_)),
      work_duration_(prometheus::BuildHistogram()
                         .Name("workqueue_work_duration_seconds")
                         .Help("How long in seconds processing an item from workqueue takes")
                         .Register(*registry_)),
      leader_status_(prometheus::BuildGauge()
                         .Name("leader_election_master_status")
                         .Help("Gauge of if the reporting system is master of the relevant "
                               "lease, 0 indicates backup, 1 indicates master")
                         .Register(*registry_)),
      rest_requests_(prometheus::BuildCounter()
                         .Name("rest_client_requests_total")
                         .Help("Number of HTTP requests, partitioned by status code, method, "
                               "and host")
                         .Register(*registry_)) {}

std::string Metrics::serialize() const {
  return prometheus::TextSerializer().Serialize(registry_->Collect());
}

void Metrics::reconciled(const std::string& controller, const std::string& result,
                         Clock::Duration took) {
  reconcile_total_.Add({{"controller", controller}, {"result", result}}).Increment();
  if (result == "error") reconcile_errors_.Add({{"controller", controller}}).Increment();
  reconcile_time_.Add({{"controller", controller}}, reconcileBuckets()).Observe(seconds(took));
}

void Metrics::activeWorkers(const std::string& controller, int delta) {
  active_workers_.Add({{"controller", controller}}).Increment(delta);
}

std::shared_ptr<WorkQueueMetrics> Metrics::workQueue(const std::string& name) {
  const prometheus::Labels labels{{"controller", name}, {"name", name}};
  // Pre-create the reconcile series too, so /metrics shows them (at 0) before the first
  // reconcile, as controller-runtime does.
  for (const char* result : {"success", "error", "requeue", "requeue_after"}) {
    reconcile_total_.Add({{"controller", name}, {"result", result}});
  }
  reconcile_errors_.Add({{"controller", name}});
  return std::make_shared<PrometheusQueueMetrics>(
      queue_depth_.Add(labels), queue_adds_.Add(labels), queue_retries_.Add(labels),
      queue_latency_.Add(labels, queueBuckets()), work_duration_.Add(labels, queueBuckets()));
}

void Metrics::setLeader(const std::string& lease_name, bool leading) {
  leader_status_.Add({{"name", lease_name}}).Set(leading ? 1 : 0);
}

std::function<void(const std::string&, int)> Metrics::restClientObserver(std::string host) {
  return [this, host = std::move(host)](const std::string& method, int code) {
    rest_requests_
        .Add({{"code", code == 0 ? std::string("<error>") : std::to_string(code)},
              {"method", method},
              {"host", host}})
        .Increment();
  };
}

prometheus::Family<prometheus::Gauge>& Metrics::gaugeFamily(const std::string& name,
                                                            const std::string& help) {
  std::lock_guard lock(mutex_);
  auto& slot = gauges_[name];
  if (slot == nullptr) slot = &prometheus::BuildGauge().Name(name).Help(help).Register(*registry_);
  return *slot;
}

}  // namespace zkop::runtime
