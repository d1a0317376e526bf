#include "e2e/workload/leader_watch.h"

#include "controllers/observe/server_stats.h"
#include "operator/zookeeper/four_letter_words.h"

namespace zkop::workload {

LeaderWatch::LeaderWatch(std::vector<std::string> members, std::chrono::milliseconds interval)
    : LeaderWatch(std::make_shared<MemberList>(std::move(members)), interval) {}

LeaderWatch::LeaderWatch(std::shared_ptr<MemberList> members, std::chrono::milliseconds interval)
    : members_(std::move(members)),
      interval_(interval),
      started_(std::chrono::steady_clock::now()),
      thread_([this] { run(); }) {}

LeaderWatch::~LeaderWatch() { stop(); }

void LeaderWatch::stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

void LeaderWatch::poll() {
  std::string leader;
  for (const auto& member : members_->current().second) {
    const auto colon = member.address.rfind(':');
    const auto answer = zookeeper::askFourLetterWord(member.address.substr(0, colon),
                                                     std::stoi(member.address.substr(colon + 1)),
                                                     "srvr", std::chrono::milliseconds(1000));
    Seen seen = Seen::Unreachable;
    std::string mode;
    if (answer) {
      const auto status = observe::parseSrvr(*answer);
      seen = status.mode == observe::ServerMode::NotServing ? Seen::NotServing : Seen::Serving;
      mode = std::string(observe::modeName(status.mode));
      if (status.mode == observe::ServerMode::Leader && leader.empty()) leader = member.label();
    }
    std::lock_guard lock(mutex_);
    auto& last = last_[member.address];
    if (last.first == Seen::Serving && seen == Seen::NotServing) {
      interruptions_.push_back(
          {member.label(), last.second,
           std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started_)
               .count()});
    }
    last = {seen, mode};
  }
  if (!leader.empty()) {
    std::lock_guard lock(mutex_);
    if (leaders_.empty() || leaders_.back() != leader) leaders_.push_back(leader);
  }
}

void LeaderWatch::run() {
  while (!stopping_) {
    const auto started = std::chrono::steady_clock::now();
    poll();
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

std::vector<ServingInterruption> LeaderWatch::servingInterruptions() const {
  std::lock_guard lock(mutex_);
  return interruptions_;
}

}  // namespace zkop::workload
