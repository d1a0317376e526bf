#pragma once

// Real ZooKeeper servers (Java, from the installed distribution) on loopback for tests:
// each server binds its own 127.x.y.<myid> address with the standard ports, so several
// ensembles (one per test) run side by side. Servers are killed when the object goes,
// and with the test process (parent-death signal).

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <string>

#include "controllers/render/dynamic_config.h"
#include "controllers/observe/server_stats.h"

namespace zkop::testing {

class LocalEnsemble {
 public:
  // `name` must be unique among tests running at once: it picks the state dir and the
  // address block.
  explicit LocalEnsemble(const std::string& name);
  ~LocalEnsemble();
  LocalEnsemble(const LocalEnsemble&) = delete;
  LocalEnsemble& operator=(const LocalEnsemble&) = delete;

  std::string ip(int myid) const;
  std::string clientAddress(int myid) const { return ip(myid) + ":2181"; }
  render::ServerEntry entry(int myid, api::MemberRole role = api::MemberRole::Participant) const;
  // A config of participants 1..n.
  render::DynamicConfig config(int participants) const;

  // The super user every server accepts (digest of super:<password>).
  static constexpr const char* kSuperPassword = "zkop-test-secret";

  void start(int myid, const render::DynamicConfig& config);
  void stop(int myid);  // SIGTERM, then wait for exit
  bool running(int myid);

  observe::ServerStatus status(int myid) const;  // NotServing when unreachable
  // Polls `ready` until it holds or `timeout` passes (evidence, not sleeps).
  static bool waitUntil(const std::function<bool()>& ready, std::chrono::seconds timeout);
  // Leader myid, or 0.
  int leader() const;
  // One line per started server: myid, mode, zxid; and the tail of each log.
  std::string describe(bool withLogs = false) const;

 private:
  std::filesystem::path dir_;
  int octet2_ = 0;
  int octet3_ = 0;
  std::map<int, pid_t> servers_;
};

}  // namespace zkop::testing
