#include "operator/runtime/leader_election.h"

#include <spdlog/spdlog.h>

#include <cmath>

#include "operator/runtime/encoding.h"

namespace zkop::runtime {

LeaderElectionRecord LeaderElectionRecord::fromLease(const Json& lease) {
  LeaderElectionRecord r;
  if (!lease.contains("spec") || !lease["spec"].is_object()) return r;
  const auto& spec = lease["spec"];
  r.holder_identity = spec.value("holderIdentity", "");
  r.lease_duration_seconds = spec.value("leaseDurationSeconds", 0);
  r.lease_transitions = spec.value("leaseTransitions", 0);
  if (spec.contains("acquireTime") && spec["acquireTime"].is_string()) {
    r.acquire_time = parseRfc3339(spec["acquireTime"].get<std::string>());
  }
  if (spec.contains("renewTime") && spec["renewTime"].is_string()) {
    r.renew_time = parseRfc3339(spec["renewTime"].get<std::string>());
  }
  return r;
}

Json LeaderElectionRecord::toSpec() const {
  Json spec = {{"holderIdentity", holder_identity},
               {"leaseDurationSeconds", lease_duration_seconds},
               {"leaseTransitions", lease_transitions}};
  // MicroTime: RFC 3339 with microseconds.
  if (acquire_time) spec["acquireTime"] = formatRfc3339(*acquire_time, true);
  if (renew_time) spec["renewTime"] = formatRfc3339(*renew_time, true);
  return spec;
}

LeaderElector::LeaderElector(std::shared_ptr<Client> client, std::shared_ptr<Clock> clock,
                             LeaderElectionConfig config, RandomSource random)
    : client_(std::move(client)),
      clock_(std::move(clock)),
      config_(std::move(config)),
      random_(std::move(random)) {}

bool LeaderElector::isLeader() const {
  std::lock_guard lock(mutex_);
  return observed_ && observed_->holder_identity == config_.identity &&
         clock_->now() < observed_at_ + config_.lease_duration;
}

std::string LeaderElector::leader() const {
  std::lock_guard lock(mutex_);
  return observed_ ? observed_->holder_identity : std::string();
}

void LeaderElector::observe(const LeaderElectionRecord& record) {
  std::string changed_to;
  {
    std::lock_guard lock(mutex_);
    if (!observed_ || !(*observed_ == record)) {
      observed_ = record;
      observed_at_ = clock_->now();
    }
    if (record.holder_identity != reported_leader_) {
      reported_leader_ = record.holder_identity;
      changed_to = record.holder_identity;
    }
  }
  if (!changed_to.empty() && config_.on_new_leader) config_.on_new_leader(changed_to);
}

bool LeaderElector::tryAcquireOrRenew() {
  const auto wall_now = clock_->wallNow();
  const int duration_s =
      static_cast<int>(std::ceil(std::chrono::duration<double>(config_.lease_duration).count()));
  LeaderElectionRecord desired;
  desired.holder_identity = config_.identity;
  desired.lease_duration_seconds = duration_s;
  desired.acquire_time = wall_now;
  desired.renew_time = wall_now;

  auto current = client_->get(resources::kLease, config_.lease_namespace, config_.lease_name);
  if (!current) {
    if (!current.error().is(ErrorCategory::kNotFound)) {
      spdlog::warn("leader election: reading lease {}/{}: {}", config_.lease_namespace,
                   config_.lease_name, current.error().describe());
      return false;
    }
    Json lease = {
        {"apiVersion", "coordination.k8s.io/v1"},
        {"kind", "Lease"},
        {"metadata", {{"name", config_.lease_name}, {"namespace", config_.lease_namespace}}},
        {"spec", desired.toSpec()}};
    auto created = client_->create(resources::kLease, config_.lease_namespace, lease);
    if (!created) return false;  // someone else created it first (AlreadyExists)
    observe(desired);
    std::lock_guard lock(mutex_);
    observed_resource_version_ = (*created)["metadata"].value("resourceVersion", "");
    return true;
  }

  const auto record = LeaderElectionRecord::fromLease(*current);
  observe(record);
  {
    std::lock_guard lock(mutex_);
    observed_resource_version_ = (*current)["metadata"].value("resourceVersion", "");
    const bool held_by_other =
        !record.holder_identity.empty() && record.holder_identity != config_.identity;
    if (held_by_other && clock_->now() < observed_at_ + config_.lease_duration) return false;
  }
  if (record.holder_identity == config_.identity) {
    desired.acquire_time = record.acquire_time;
    desired.lease_transitions = record.lease_transitions;
  } else {
    desired.lease_transitions = record.lease_transitions + 1;
  }
  Json lease = *current;
  lease["spec"] = desired.toSpec();
  auto updated = client_->update(resources::kLease, config_.lease_namespace, lease);
  if (!updated) {
    // 409: another candidate wrote first; we will see its record next time.
    spdlog::debug("leader election: update failed: {}", updated.error().describe());
    return false;
  }
  observe(desired);
  std::lock_guard lock(mutex_);
  observed_resource_version_ = (*updated)["metadata"].value("resourceVersion", "");
  return true;
}

bool LeaderElector::release() {
  LeaderElectionRecord record;
  std::string rv;
  {
    std::lock_guard lock(mutex_);
    if (!observed_ || observed_->holder_identity != config_.identity) return true;
    record.lease_transitions = observed_->lease_transitions;
    rv = observed_resource_version_;
  }
  const auto wall_now = clock_->wallNow();
  record.lease_duration_seconds = 1;
  record.acquire_time = wall_now;
  record.renew_time = wall_now;
  Json lease = {{"apiVersion", "coordination.k8s.io/v1"},
                {"kind", "Lease"},
                {"metadata",
                 {{"name", config_.lease_name},
                  {"namespace", config_.lease_namespace},
                  {"resourceVersion", rv}}},
                {"spec", record.toSpec()}};
  auto updated = client_->update(resources::kLease, config_.lease_namespace, lease);
  if (!updated) {
    spdlog::warn("leader election: releasing lease failed: {}", updated.error().describe());
    return false;
  }
  observe(record);
  return true;
}

bool LeaderElector::waitFor(Clock::Duration d, const std::stop_token& stop) {
  // Register before taking the lock: a stop_callback runs at once, on this thread, if the stop
  // was already requested.
  std::stop_callback wake(stop, [this] {
    std::lock_guard l(mutex_);
    cv_.notify_all();
  });
  std::unique_lock lock(mutex_);
  const auto deadline = clock_->now() + d;
  while (!stop.stop_requested() && clock_->now() < deadline) {
    clock_->waitUntil(lock, cv_, deadline);
  }
  return !stop.stop_requested();
}

void LeaderElector::run(std::stop_token stop) {
  // Acquire: retry every retry_period, jittered up to 1.2× so candidates spread out.
  while (!tryAcquireOrRenew()) {
    auto jittered = config_.retry_period + std::chrono::duration_cast<Clock::Duration>(
                                               config_.retry_period * 1.2 * random_());
    if (!waitFor(jittered, stop)) return;
  }
  spdlog::info("leader election: {} acquired lease {}/{}", config_.identity,
               config_.lease_namespace, config_.lease_name);
  if (config_.on_started_leading) config_.on_started_leading();

  // Renew: each round has renew_deadline to succeed, retrying every retry_period.
  bool stopped = false;
  for (;;) {
    const auto round_deadline = clock_->now() + config_.renew_deadline;
    bool renewed = false;
    while (!(renewed = tryAcquireOrRenew()) &&
           clock_->now() + config_.retry_period <= round_deadline) {
      if (!waitFor(config_.retry_period, stop)) break;
    }
    if (stop.stop_requested()) {
      stopped = true;
      break;
    }
    if (!renewed) {
      spdlog::error(
          "leader election: {} failed to renew lease {}/{} within {} s; stepping down",
          config_.identity, config_.lease_namespace, config_.lease_name,
          std::chrono::duration_cast<std::chrono::seconds>(config_.renew_deadline).count());
      break;
    }
    if (!waitFor(config_.retry_period, stop)) {
      stopped = true;
      break;
    }
  }
  // Stop our own work first (the callback drains in-flight reconciles), and only then hand the
  // lease over: releasing first would let a successor act while we still are.
  if (config_.on_stopped_leading) config_.on_stopped_leading();
  if (stopped && config_.release_on_cancel) release();
}

}  // namespace zkop::runtime
