#pragma once

// What a ZooKeeper server says about itself through the four-letter words `srvr`, `mntr`
// and `conf`. Parsing is pure; probing (operator/zookeeper/four_letter_words.h) is apart.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace zkop::observe {

enum class ServerMode { Leader, Follower, Observer, Standalone, ReadOnly, NotServing };

std::string_view modeName(ServerMode mode);

struct ServerStatus {
  ServerMode mode = ServerMode::NotServing;
  std::optional<std::uint64_t> zxid;
  std::string version;  // "3.8.0", without the build suffix
};

// `srvr`. A server that is looking for a leader answers "This ZooKeeper instance is not
// currently serving requests": that is NotServing, not an error.
ServerStatus parseSrvr(std::string_view text);

// `mntr`: tab-separated key/value lines.
struct MonitorStats {
  std::map<std::string, std::string, std::less<>> values;

  std::optional<std::string> get(std::string_view key) const;
  std::optional<std::int64_t> number(std::string_view key) const;
  // Leader only: followers (voters) and observers that are synced.
  std::optional<std::int64_t> syncedFollowers() const { return number("zk_synced_followers"); }
  std::optional<std::int64_t> syncedObservers() const { return number("zk_synced_observers"); }
};
MonitorStats parseMntr(std::string_view text);

// `conf`: the server's own view of who it is and which server list it runs with.
struct ServerConf {
  std::optional<int> serverId;  // the myid it runs as (and whose data it holds)
  std::optional<int> peerType;  // 0 participant, 1 observer
  std::string membership;       // the server.N lines and version=, as `/zookeeper/config`
};
ServerConf parseConf(std::string_view text);

}  // namespace zkop::observe
