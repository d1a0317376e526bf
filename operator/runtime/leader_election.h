#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>

#include "operator/runtime/backoff.h"
#include "operator/runtime/client.h"
#include "operator/runtime/clock.h"

namespace zkop::runtime {

struct LeaderElectionConfig {
  std::string lease_namespace;
  std::string lease_name = "zkop-leader";
  std::string identity;  // unique per process: pod name + random suffix
  // client-go's defaults: a lease is taken over 15 s after its holder's last renewal was
  // observed; the holder gives up if it cannot renew for 10 s; attempts every 2 s.
  Clock::Duration lease_duration = std::chrono::seconds(15);
  Clock::Duration renew_deadline = std::chrono::seconds(10);
  Clock::Duration retry_period = std::chrono::seconds(2);
  // Clear holderIdentity on shutdown so a successor need not wait out the lease.
  bool release_on_cancel = true;

  std::function<void()> on_started_leading;
  std::function<void()> on_stopped_leading;
  std::function<void(const std::string& identity)> on_new_leader;
};

// The Lease's spec as leader election reads and writes it.
struct LeaderElectionRecord {
  std::string holder_identity;
  int lease_duration_seconds = 0;
  std::optional<Clock::WallTime> acquire_time;
  std::optional<Clock::WallTime> renew_time;
  int lease_transitions = 0;

  static LeaderElectionRecord fromLease(const Json& lease);
  Json toSpec() const;
  bool operator==(const LeaderElectionRecord&) const = default;
};

// Leader election on a coordination.k8s.io/v1 Lease, following client-go's algorithm:
//  - expiry is judged by the local clock from when this process last saw the record change
//    (not by renewTime, so clock skew between nodes does not matter);
//  - the holder keeps acquireTime and leaseTransitions; a new holder bumps leaseTransitions;
//  - every write is a conditional update (resourceVersion), so two candidates cannot both win;
//  - the leader that fails to renew for renew_deadline stops leading; on shutdown it releases
//    the lease (empty holder, leaseDurationSeconds 1).
//
// tryAcquireOrRenew() is one attempt (tests drive it with a fake clock); run() is the loop.
//
// Thread-safety: run() on one thread; isLeader()/leader() from any thread.
class LeaderElector {
 public:
  LeaderElector(std::shared_ptr<Client> client, std::shared_ptr<Clock> clock,
                LeaderElectionConfig config, RandomSource random = defaultRandomSource());

  bool tryAcquireOrRenew();
  // Gives the lease up if held. Returns whether the lease is no longer ours.
  bool release();

  // Acquires (retrying every retry_period with jitter), leads until renewal fails for
  // renew_deadline or `stop` fires, then calls on_stopped_leading and, when stopped (not when
  // the lease was lost), releases the lease after that callback has returned.
  // Returns when leadership ends or when stopped before acquiring.
  void run(std::stop_token stop);

  bool isLeader() const;
  std::string leader() const;
  const LeaderElectionConfig& config() const { return config_; }

 private:
  bool waitFor(Clock::Duration d, const std::stop_token& stop);
  void observe(const LeaderElectionRecord& record);

  std::shared_ptr<Client> client_;
  std::shared_ptr<Clock> clock_;
  LeaderElectionConfig config_;
  RandomSource random_;

  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::optional<LeaderElectionRecord> observed_;
  Clock::TimePoint observed_at_{};
  std::string observed_resource_version_;
  std::string reported_leader_;
};

}  // namespace zkop::runtime
