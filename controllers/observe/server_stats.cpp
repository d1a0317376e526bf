#include "controllers/observe/server_stats.h"

#include <charconv>
#include <sstream>

namespace zkop::observe {

std::string_view modeName(ServerMode mode) {
  switch (mode) {
    case ServerMode::Leader:
      return "leader";
    case ServerMode::Follower:
      return "follower";
    case ServerMode::Observer:
      return "observer";
    case ServerMode::Standalone:
      return "standalone";
    case ServerMode::ReadOnly:
      return "read-only";
    case ServerMode::NotServing:
      return "not-serving";
  }
  return "unknown";
}

ServerStatus parseSrvr(std::string_view text) {
  ServerStatus status;
  std::istringstream in{std::string(text)};
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("Mode: ")) {
      const auto mode = line.substr(6);
      if (mode == "leader")
        status.mode = ServerMode::Leader;
      else if (mode == "follower")
        status.mode = ServerMode::Follower;
      else if (mode == "observer")
        status.mode = ServerMode::Observer;
      else if (mode == "standalone")
        status.mode = ServerMode::Standalone;
      else if (mode == "read-only")
        status.mode = ServerMode::ReadOnly;
    } else if (line.starts_with("Zxid: 0x")) {
      std::uint64_t zxid = 0;
      const auto hex = std::string_view(line).substr(8);
      if (std::from_chars(hex.data(), hex.data() + hex.size(), zxid, 16).ec == std::errc{}) {
        status.zxid = zxid;
      }
    } else if (line.starts_with("Zookeeper version: ")) {
      auto version = line.substr(19);
      status.version = version.substr(0, version.find_first_of("-,"));
    }
  }
  return status;
}

std::optional<std::string> MonitorStats::get(std::string_view key) const {
  auto it = values.find(key);
  if (it == values.end()) return std::nullopt;
  return it->second;
}

std::optional<std::int64_t> MonitorStats::number(std::string_view key) const {
  auto text = get(key);
  if (!text) return std::nullopt;
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc{} || end != text->data() + text->size()) return std::nullopt;
  return value;
}

MonitorStats parseMntr(std::string_view text) {
  MonitorStats stats;
  std::istringstream in{std::string(text)};
  std::string line;
  while (std::getline(in, line)) {
    const auto tab = line.find('\t');
    if (tab == std::string::npos) continue;
    stats.values[line.substr(0, tab)] = line.substr(tab + 1);
  }
  return stats;
}

ServerConf parseConf(std::string_view text) {
  ServerConf conf;
  std::istringstream in{std::string(text)};
  std::string line;
  bool inMembership = false;
  auto number = [](std::string_view digits) -> std::optional<int> {
    int value = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc{} || end != digits.data() + digits.size()) return std::nullopt;
    return value;
  };
  while (std::getline(in, line)) {
    if (inMembership) {
      if (line.starts_with("server.") || line.starts_with("version=")) {
        conf.membership += line + "\n";
      }
      continue;
    }
    if (line.starts_with("serverId="))
      conf.serverId = number(std::string_view(line).substr(9));
    else if (line.starts_with("peerType="))
      conf.peerType = number(std::string_view(line).substr(9));
    else if (line.starts_with("membership:"))
      inMembership = true;
  }
  return conf;
}

}  // namespace zkop::observe
