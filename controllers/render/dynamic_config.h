#pragma once

// ZooKeeper's dynamic configuration: the server list with roles, and its version. The
// same text is what `/zookeeper/config` returns, what `zoo.cfg.dynamic.<version>` holds and
// what the ConfigMap carries as the committed config.

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "controllers/api/enums.h"

namespace zkop::render {

struct ServerEntry {
  int myid = 0;
  std::string host{};
  int quorumPort = 2888;
  int electionPort = 3888;
  api::MemberRole role = api::MemberRole::Participant;
  std::string clientHost{};  // empty: same as host
  int clientPort = 2181;

  // server.<myid>=<host>:<quorum>:<election>:<role>;<clientHost>:<clientPort>
  std::string line() const;
  friend bool operator==(const ServerEntry&, const ServerEntry&) = default;
};

struct DynamicConfig {
  // The zxid of the reconfig that committed it; 0 for a config no reconfig has made yet.
  std::uint64_t version = 0;
  std::vector<ServerEntry> servers;  // ascending myid

  // The server lines, one per line, ascending myid (the file's content).
  std::string serverLines() const;
  std::string versionHex() const;
  const ServerEntry* find(int myid) const;
  int participants() const;

  // Parses `/zookeeper/config` or a zoo.cfg.dynamic file: server.N lines and an optional
  // `version=<hex>` line.
  static std::expected<DynamicConfig, std::string> parse(std::string_view text);
  friend bool operator==(const DynamicConfig&, const DynamicConfig&) = default;
};

}  // namespace zkop::render
