#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace zkop::api {

// A ZooKeeper release number: major.minor.patch with an optional suffix ("3.8.4",
// "3.9.2-jre-17" as an image tag). Ordered by the numbers; the suffix does not order.
struct ZooKeeperVersion {
  int major = 0;
  int minor = 0;
  int patch = 0;

  static std::optional<ZooKeeperVersion> parse(std::string_view text);
  // The version an image tag names ("3.8.4", "3.8.4-jre-17", "v3.8.4"), if any.
  static std::optional<ZooKeeperVersion> fromImageTag(std::string_view tag);

  std::string toString() const;
  // Dynamic reconfiguration exists from 3.5 on.
  bool supportsReconfig() const { return *this >= ZooKeeperVersion{3, 5, 0}; }

  friend auto operator<=>(const ZooKeeperVersion&, const ZooKeeperVersion&) = default;
};

// Releases a rolling upgrade can cross without a stop: ZooKeeper supports rolling upgrades
// between adjacent minor releases and any patch change; a downgrade is refused.
enum class UpgradePath { Same, Patch, Minor, Unsupported, Downgrade };
UpgradePath upgradePath(const ZooKeeperVersion& from, const ZooKeeperVersion& to);

}  // namespace zkop::api
