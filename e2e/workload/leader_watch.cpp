#include "e2e/workload/leader_watch.h"

#include "operator/zookeeper/four_letter_words.h"
#include "controllers/observe/server_stats.h"

namespace zkop::workload {

LeaderWatch::LeaderWatch(std::vector<std::string> members, std::chrono::milliseconds interval)
    : members_(std::move(members)), interval_(interval), thread_([this] { run(); }) {}

LeaderWatch::~LeaderWatch() { stop(); }

void LeaderWatch::stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

std::string LeaderWatch::currentLeader() const {
  for (const auto& member : members_) {
    const auto colon = member.rfind(':');
    const auto answer =
        zookeeper::askFourLetterWord(member.substr(0, colon), std::stoi(member.substr(colon + 1)),
                                     "srvr", std::chrono::milliseconds(1000));
    if (answer && observe::parseSrvr(*answer).mode == observe::ServerMode::Leader) {
      return member;
    }
  }
  return {};
}

void LeaderWatch::run() {
  while (!stopping_) {
    const auto started = std::chrono::steady_clock::now();
    if (auto leader = currentLeader(); !leader.empty()) {
      std::lock_guard lock(mutex_);
      if (leaders_.empty() || leaders_.back() != leader) leaders_.push_back(leader);
    }
    std::this_thread::sleep_until(started + interval_);  // the polling period
  }
}

std::vector<std::string> LeaderWatch::leaders() const {
  std::lock_guard lock(mutex_);
  return leaders_;
}

int LeaderWatch::changes() const {
  std::lock_guard lock(mutex_);
  return leaders_.empty() ? 0 : static_cast<int>(leaders_.size()) - 1;
}

}  // namespace zkop::workload
