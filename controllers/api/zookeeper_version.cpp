#include "controllers/api/zookeeper_version.h"

#include <regex>

namespace zkop::api {

std::optional<ZooKeeperVersion> ZooKeeperVersion::parse(std::string_view text) {
  static const std::regex re(R"(^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})([-.][0-9A-Za-z.-]+)?$)");
  std::match_results<std::string_view::const_iterator> m;
  if (!std::regex_match(text.begin(), text.end(), m, re)) return std::nullopt;
  ZooKeeperVersion v{std::stoi(m[1].str()), std::stoi(m[2].str()), std::stoi(m[3].str())};
  // ZooKeeper 3.x is the only line there is; 3.4 is the oldest with the procedures we use.
  if (v.major != 3 || v.minor < 4) return std::nullopt;
  return v;
}

std::optional<ZooKeeperVersion> ZooKeeperVersion::fromImageTag(std::string_view tag) {
  if (!tag.empty() && (tag.front() == 'v' || tag.front() == 'V')) tag.remove_prefix(1);
  return parse(tag);
}

std::string ZooKeeperVersion::toString() const {
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
}

UpgradePath upgradePath(const ZooKeeperVersion& from, const ZooKeeperVersion& to) {
  if (to == from) return UpgradePath::Same;
  if (to < from) return UpgradePath::Downgrade;
  if (to.major == from.major && to.minor == from.minor) return UpgradePath::Patch;
  if (to.major == from.major && to.minor == from.minor + 1) return UpgradePath::Minor;
  return UpgradePath::Unsupported;
}

}  // namespace zkop::api
