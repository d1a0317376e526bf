#pragma once

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace zkop::workload {

// Polls every member's `srvr` and records each change of leader. A member restarting is
// not a change; a different member becoming leader is (that is what costs clients an
// election).
class LeaderWatch {
 public:
  LeaderWatch(std::vector<std::string> members, std::chrono::milliseconds interval);
  ~LeaderWatch();
  LeaderWatch(const LeaderWatch&) = delete;
  LeaderWatch& operator=(const LeaderWatch&) = delete;

  void stop();
  // Distinct leaders in the order seen (consecutive repeats collapsed).
  std::vector<std::string> leaders() const;
  int changes() const;

 private:
  void run();
  std::string currentLeader() const;

  std::vector<std::string> members_;  // host:port
  std::chrono::milliseconds interval_;
  mutable std::mutex mutex_;
  std::vector<std::string> leaders_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace zkop::workload
