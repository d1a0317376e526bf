#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "operator/runtime/controller.h"
#include "operator/runtime/work_queue.h"

namespace zkop::runtime {

// The operator's Prometheus registry with the metric names controller-runtime and client-go
// use, so existing dashboards and alerts work unchanged:
//   controller_runtime_reconcile_total{controller,result}
//   controller_runtime_reconcile_errors_total{controller}
//   controller_runtime_reconcile_time_seconds{controller}
//   controller_runtime_active_workers{controller}
//   workqueue_depth / workqueue_adds_total / workqueue_retries_total{controller,name}
//   workqueue_queue_duration_seconds / workqueue_work_duration_seconds{controller,name}
//   leader_election_master_status{name}
//   rest_client_requests_total{code,method,host}
// The zkop_* gauges are registered by their owners through gaugeFamily().
//
// Thread-safety: all methods are safe to call concurrently (prometheus-cpp locks internally).
class Metrics final : public ControllerMetrics {
 public:
  Metrics();

  std::shared_ptr<prometheus::Registry> registry() const { return registry_; }
  // The Prometheus text exposition of everything registered.
  std::string serialize() const;

  // ControllerMetrics
  void reconciled(const std::string& controller, const std::string& result,
                  Clock::Duration took) override;
  void activeWorkers(const std::string& controller, int delta) override;

  // A WorkQueueMetrics that reports under this queue name.
  std::shared_ptr<WorkQueueMetrics> workQueue(const std::string& name);

  void setLeader(const std::string& lease_name, bool leading);

  // For ClientConfig::on_request: counts requests to `host` by method and status code.
  std::function<void(const std::string& method, int code)> restClientObserver(std::string host);

  // Registers (or returns the already registered) gauge family, for the zkop_* gauges.
  prometheus::Family<prometheus::Gauge>& gaugeFamily(const std::string& name,
                                                     const std::string& help);

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>& reconcile_total_;
  prometheus::Family<prometheus::Counter>& reconcile_errors_;
  prometheus::Family<prometheus::Histogram>& reconcile_time_;
  prometheus::Family<prometheus::Gauge>& active_workers_;
  prometheus::Family<prometheus::Gauge>& queue_depth_;
  prometheus::Family<prometheus::Counter>& queue_adds_;
  prometheus::Family<prometheus::Counter>& queue_retries_;
  prometheus::Family<prometheus::Histogram>& queue_latency_;
  prometheus::Family<prometheus::Histogram>& work_duration_;
  prometheus::Family<prometheus::Gauge>& leader_status_;
  prometheus::Family<prometheus::Counter>& rest_requests_;
  std::mutex mutex_;
  // Non-owning: the registry owns the families for its whole life.
  std::map<std::string, prometheus::Family<prometheus::Gauge>*> gauges_;
};

}  // namespace zkop::runtime
