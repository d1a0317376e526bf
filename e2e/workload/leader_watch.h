#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "e2e/workload/member_list.h"

namespace zkop::workload {

// A member that was serving (leader, follower or observer) and then answered `srvr` with
// "not currently serving" while its process stayed up: an election (LOOKING) or a change of
// leader without one (after `reconfig` removes the leader, members restart their server
// objects for the designated successor; srvr cannot tell the two apart, ZooKeeper's log
// can). A member that restarts is unreachable in between and does not count.
struct ServingInterruption {
  std::string member;        // its label (pod name when known)
  std::string previousMode;  // leader, follower, observer...
  double atMs = 0;           // since the watch started
};

// Polls every member's `srvr` and records each change of leader and each member that stopped
// serving while running. A member restarting is not a change; a different member becoming leader is
// (that is what costs clients an election). Leaders are identified by the member's label, so a pod
// that comes back on a new address is still the same member.
class LeaderWatch {
 public:
  LeaderWatch(std::vector<std::string> members, std::chrono::milliseconds interval);
  LeaderWatch(std::shared_ptr<MemberList> members, std::chrono::milliseconds interval);
  ~LeaderWatch();
  LeaderWatch(const LeaderWatch&) = delete;
  LeaderWatch& operator=(const LeaderWatch&) = delete;

  void stop();
  // Distinct leaders in the order seen (consecutive repeats collapsed).
  std::vector<std::string> leaders() const;
  int changes() const;
  std::vector<ServingInterruption> servingInterruptions() const;

 private:
  enum class Seen { Unreachable, NotServing, Serving };
  void run();
  void poll();

  std::shared_ptr<MemberList> members_;
  std::chrono::milliseconds interval_;
  std::chrono::steady_clock::time_point started_;
  mutable std::mutex mutex_;
  std::vector<std::string> leaders_;
  std::vector<ServingInterruption> interruptions_;
  std::map<std::string, std::pair<Seen, std::string>> last_;  // address -> (state, mode)
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace zkop::workload
