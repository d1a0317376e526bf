#include "controllers/render/dynamic_config.h"

#include <algorithm>
#include <charconv>
#include <regex>
#include <sstream>

namespace zkop::render {

std::string ServerEntry::line() const {
  const auto role_ = role == api::MemberRole::Participant ? "participant" : "observer";
  return "server." + std::to_string(myid) + "=" + host + ":" + std::to_string(quorumPort) + ":" +
         std::to_string(electionPort) + ":" + role_ + ";" +
         (clientHost.empty() ? host : clientHost) + ":" + std::to_string(clientPort);
}

std::string DynamicConfig::serverLines() const {
  std::string out;
  for (const auto& s : servers) out += s.line() + "\n";
  return out;
}

std::string DynamicConfig::versionHex() const {
  std::ostringstream out;
  out << std::hex << version;
  return out.str();
}

const ServerEntry* DynamicConfig::find(int myid) const {
  auto it = std::find_if(servers.begin(), servers.end(),
                         [myid](const ServerEntry& s) { return s.myid == myid; });
  return it == servers.end() ? nullptr : &*it;
}

int DynamicConfig::participants() const {
  return static_cast<int>(std::count_if(servers.begin(), servers.end(), [](const ServerEntry& s) {
    return s.role == api::MemberRole::Participant;
  }));
}

std::expected<DynamicConfig, std::string> DynamicConfig::parse(std::string_view text) {
  // server.N=host:quorum:election[:role][;[clientHost:]clientPort]
  static const std::regex serverLine(
      R"(^server\.([0-9]+)=([^:;]+):([0-9]+):([0-9]+)(:(participant|observer))?(;(([^:;]*):)?([0-9]+))?\s*$)");
  static const std::regex versionLine(R"(^version=([0-9a-fA-F]+)\s*$)");
  DynamicConfig config;
  std::istringstream in{std::string(text)};
  std::string line;
  int lineNo = 0;
  while (std::getline(in, line)) {
    ++lineNo;
    if (line.empty() || line.front() == '#') continue;
    std::smatch m;
    if (std::regex_match(line, m, serverLine)) {
      ServerEntry s;
      s.myid = std::stoi(m[1]);
      s.host = m[2];
      s.quorumPort = std::stoi(m[3]);
      s.electionPort = std::stoi(m[4]);
      s.role = m[6] == "observer" ? api::MemberRole::Observer : api::MemberRole::Participant;
      if (m[10].matched) {
        s.clientPort = std::stoi(m[10]);
        const std::string clientHost = m[9];
        if (!clientHost.empty() && clientHost != s.host) s.clientHost = clientHost;
      }
      config.servers.push_back(std::move(s));
    } else if (std::regex_match(line, m, versionLine)) {
      const std::string hex = m[1];
      std::from_chars(hex.data(), hex.data() + hex.size(), config.version, 16);
    } else {
      return std::unexpected("line " + std::to_string(lineNo) +
                             ": not a server or version line: " + line);
    }
  }
  std::sort(config.servers.begin(), config.servers.end(),
            [](const ServerEntry& a, const ServerEntry& b) { return a.myid < b.myid; });
  return config;
}

}  // namespace zkop::render
