#include "e2e/workload/workload_checker.h"

#include <zookeeper/zookeeper.h>

#include <algorithm>
#include <cstdio>
#include <future>
#include <set>

#include "operator/zookeeper/session.h"

namespace zkop::workload {
namespace {

using Clock = std::chrono::steady_clock;

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

std::string znodeName(std::int64_t seq) {
  char name[32];
  std::snprintf(name, sizeof name, "w-%012lld", static_cast<long long>(seq));
  return name;
}

// `sync` makes the member catch up with the leader before we read from it.
bool syncPath(zhandle_t* handle, const std::string& path) {
  auto done = std::make_unique<std::promise<int>>();
  auto result = done->get_future();
  const int rc = zoo_async(
      handle, path.c_str(),
      [](int code, const char*, const void* data) {
        static_cast<std::promise<int>*>(const_cast<void*>(data))->set_value(code);
      },
      done.get());
  if (rc != ZOK) return false;
  if (result.wait_for(std::chrono::seconds(30)) != std::future_status::ready) return false;
  return result.get() == ZOK;
}

}  // namespace

WorkloadChecker::WorkloadChecker(WorkloadConfig config)
    : config_(std::move(config)),
      memberList_(std::make_shared<MemberList>(config_.members, config_.membersFile)) {}

WorkloadChecker::~WorkloadChecker() { stop(); }

std::string WorkloadChecker::start() {
  zookeeper::SessionConfig sessionConfig{config_.connectString, config_.sessionTimeout,
                                         std::chrono::milliseconds(30000), std::nullopt};
  auto session = zookeeper::Session::connect(sessionConfig);
  if (!session) return session.error().message;
  const int rc =
      zoo_create((*session)->handle(), root().c_str(), "", 0, &ZOO_OPEN_ACL_UNSAFE, 0, nullptr, 0);
  if (rc != ZOK && rc != ZNODEEXISTS) return "create " + root() + ": " + zerror(rc);
  started_ = Clock::now();
  leaderWatch_ = std::make_unique<LeaderWatch>(memberList_, config_.leaderPollInterval);
  writer_ = std::thread(
      [this, s = std::shared_ptr<zookeeper::Session>(std::move(*session))] { writeLoop(s); });
  return {};
}

void WorkloadChecker::writeLoop(std::shared_ptr<zookeeper::Session> session) {
  zookeeper::SessionConfig sessionConfig{config_.connectString, config_.sessionTimeout,
                                         std::chrono::milliseconds(30000), std::nullopt};
  const auto period = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(1.0 / config_.writesPerSecond));
  auto next = Clock::now();
  std::int64_t seq = 0;
  std::uint64_t serversVersion = 0;  // the member list the connect string was made from
  while (!stopping_) {
    // Pods that came back on new addresses, or new members: the client follows the list.
    if (auto [version, members] = memberList_->current(); version != serversVersion) {
      serversVersion = version;
      sessionConfig.connectString = MemberList::connectString(members);
      if (session) zoo_set_servers(session->handle(), sessionConfig.connectString.c_str());
      std::lock_guard lock(mutex_);
      ++serverListChanges_;
    }
    if (!session) {
      // A session expired during a long outage: start a new one, the sequence goes on.
      auto fresh = zookeeper::Session::connect(sessionConfig);
      if (!fresh) {
        std::lock_guard lock(mutex_);
        if (errors_.size() < 10) errors_.push_back(fresh.error().message);
        continue;
      }
      session = std::move(*fresh);
    }
    const auto path = root() + "/" + znodeName(seq);
    const auto data = std::to_string(seq);
    const int rc = zoo_create(session->handle(), path.c_str(), data.data(),
                              static_cast<int>(data.size()), &ZOO_OPEN_ACL_UNSAFE, 0, nullptr, 0);
    const auto now = Clock::now();
    {
      std::lock_guard lock(mutex_);
      ++attempted_;
      if (rc == ZOK) {
        acked_.push_back({seq, now});
        ++acknowledged_;
      } else {
        // Connection loss leaves the outcome unknown: not acknowledged, so never "lost".
        ++failed_;
        if (errors_.size() < 10) errors_.push_back(path + ": " + zerror(rc));
      }
    }
    if (rc == ZSESSIONEXPIRED || rc == ZINVALIDSTATE) session.reset();
    ++seq;
    next = std::max(next + period, now);
    std::this_thread::sleep_until(next);  // the write rate
  }
}

void WorkloadChecker::stop() {
  if (stopping_.exchange(true)) return;
  if (writer_.joinable()) writer_.join();
  stopped_ = Clock::now();
  if (leaderWatch_) {
    leaderWatch_->stop();
    finalLeaders_ = leaderWatch_->leaders();
    finalLeaderChanges_ = leaderWatch_->changes();
    finalInterruptions_ = leaderWatch_->servingInterruptions();
  }
}

std::optional<std::set<std::int64_t>> WorkloadChecker::missingOn(const std::string& member) const {
  zookeeper::SessionConfig sessionConfig{member, config_.sessionTimeout,
                                         std::chrono::milliseconds(60000), std::nullopt};
  auto session = zookeeper::Session::connect(sessionConfig);
  if (!session || !syncPath((*session)->handle(), root())) return std::nullopt;
  String_vector children{};
  if (zoo_get_children((*session)->handle(), root().c_str(), 0, &children) != ZOK) {
    return std::nullopt;
  }
  std::set<std::string> present;
  for (int i = 0; i < children.count; ++i) present.insert(children.data[i]);
  deallocate_String_vector(&children);
  std::set<std::int64_t> missing;
  for (const auto& w : acked_) {
    if (!present.contains(znodeName(w.seq))) missing.insert(w.seq);
  }
  return missing;
}

WorkloadReport WorkloadChecker::finish() {
  stop();
  WorkloadReport report;
  std::lock_guard lock(mutex_);
  report.attempted = attempted_;
  report.acknowledged = static_cast<std::int64_t>(acked_.size());
  report.failed = failed_;
  report.errors = errors_;
  report.durationMs = ms(stopped_ - started_);
  report.leaders = finalLeaders_;
  report.leaderChanges = finalLeaderChanges_;
  for (const auto& t : finalInterruptions_) {
    report.servingInterruptions.push_back({t.member, t.previousMode, t.atMs});
  }
  report.serverListChanges = serverListChanges_;
  auto previous = started_;
  for (const auto& w : acked_) {
    report.longestPauseMs = std::max(report.longestPauseMs, ms(w.acked - previous));
    previous = w.acked;
  }
  // A write is lost if any member lacks it; each write counts once.
  std::set<std::int64_t> lostSeqs;
  for (const auto& m : memberList_->refresh()) {
    const auto member = m.name.empty() ? m.address : m.name + "=" + m.address;
    const auto missing = missingOn(m.address);
    if (!missing) {
      report.unverifiedMembers.push_back(member);
      continue;
    }
    report.missingByMember[member] = static_cast<std::int64_t>(missing->size());
    lostSeqs.insert(missing->begin(), missing->end());
  }
  report.lost = static_cast<std::int64_t>(lostSeqs.size());
  return report;
}

}  // namespace zkop::workload
