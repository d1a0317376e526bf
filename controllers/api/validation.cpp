#include "controllers/api/validation.h"

#include <map>
#include <regex>
#include <set>

#include "controllers/api/defaults.h"
#include "controllers/api/json_codec.h"
#include "controllers/api/zookeeper_version.h"

namespace zkop::api {
namespace {

// Checks the bounds and patterns declared in visitFields on every field that is set.
class BoundsChecker {
 public:
  BoundsChecker(std::string path, FieldErrors& errors) : path_(std::move(path)), errors_(errors) {}

  template <class T>
  void field(std::string_view key, const std::optional<T>& value, const FieldDoc& doc) {
    if (value) check(child(key), *value, doc);
  }
  template <class T>
  void field(std::string_view key, const T& value, const FieldDoc& doc) {
    check(child(key), value, doc);
  }

 private:
  std::string child(std::string_view key) const { return path_ + "." + std::string(key); }

  template <class T>
  void check(const std::string& path, const T& value, const FieldDoc& doc) {
    if constexpr (std::is_same_v<T, int> || std::is_same_v<T, std::int64_t>) {
      if (doc.minimum && value < *doc.minimum) {
        errors_.push_back({path, "must be >= " + std::to_string(*doc.minimum)});
      }
      if (doc.maximum && value > *doc.maximum) {
        errors_.push_back({path, "must be <= " + std::to_string(*doc.maximum)});
      }
    } else if constexpr (std::is_same_v<T, std::string>) {
      if (!doc.pattern.empty() && !std::regex_search(value, std::regex(std::string(doc.pattern)))) {
        const std::string why = doc.patternMessage.empty()
                                    ? "must match " + std::string(doc.pattern)
                                    : std::string(doc.patternMessage);
        errors_.push_back({path, "invalid value \"" + value + "\": " + why});
      }
    } else if constexpr (requires(BoundsChecker & b) { visitFields(b, value); }) {
      BoundsChecker nested(path, errors_);
      visitFields(nested, value);
    } else if constexpr (
        requires {
          typename T::value_type;
          value.size();
        } &&
        requires(BoundsChecker & b, const typename T::value_type& item) { visitFields(b, item); }) {
      for (std::size_t i = 0; i < value.size(); ++i) {
        BoundsChecker nested(path + "[" + std::to_string(i) + "]", errors_);
        visitFields(nested, value[i]);
      }
    }
  }

  std::string path_;
  FieldErrors& errors_;
};

// zoo.cfg keys the operator writes itself; letting spec.config.extra set them would break
// the membership logic or the pod layout.
bool isManagedConfigKey(const std::string& key) {
  static const std::set<std::string> managed = {"dataDir",
                                                "dataLogDir",
                                                "clientPort",
                                                "clientPortAddress",
                                                "secureClientPort",
                                                "dynamicConfigFile",
                                                "reconfigEnabled",
                                                "standaloneEnabled",
                                                "skipACL",
                                                "tickTime",
                                                "initLimit",
                                                "syncLimit",
                                                "maxClientCnxns",
                                                "autopurge.snapRetainCount",
                                                "autopurge.purgeInterval",
                                                "admin.serverPort",
                                                "admin.serverAddress",
                                                "metricsProvider.httpPort",
                                                "metricsProvider.httpHost",
                                                "4lw.commands.whitelist"};
  return managed.contains(key) || key.starts_with("server.") || key.starts_with("group.") ||
         key.starts_with("weight.");
}

int participantCount(const ZookeeperClusterSpec& spec) {
  int voters = 0;
  for (const auto& pool : effectivePools(spec)) voters += pool.replicas.value_or(0);
  for (const auto& member : spec.externalMembers.value_or(std::vector<ExternalMember>{})) {
    if (member.role.value_or(MemberRole::Participant) == MemberRole::Participant) ++voters;
  }
  return voters;
}

void validateName(const ZookeeperCluster& cluster, FieldErrors& errors) {
  static const std::regex dns1035("^[a-z]([-a-z0-9]*[a-z0-9])?$");
  const auto name = cluster.name();
  if (name.empty()) return;  // reported by the decoder
  if (!std::regex_match(name, dns1035)) {
    errors.push_back({"metadata.name",
                      "must be a DNS-1035 label (lower case letters, digits "
                      "and '-', starting with a letter)"});
  }
  // StatefulSet names end up in the controller-revision-hash label (63 characters with an
  // 11-character hash suffix), so `<cluster>-<pool>` may have at most 52.
  for (const auto& pool : effectivePools(cluster.spec)) {
    const auto setName =
        pool.name == kDefaultPoolName && !cluster.spec.pools ? name : name + "-" + pool.name;
    if (setName.size() > 52) {
      errors.push_back({"metadata.name", "with pool \"" + pool.name +
                                             "\" makes the StatefulSet "
                                             "name \"" +
                                             setName + "\" longer than 52 characters"});
    }
  }
}

void validateVoters(const ZookeeperClusterSpec& spec, FieldErrors& errors) {
  const int voters = participantCount(spec);
  if (voters < 1) {
    // Without pools, spec.replicas' own bound (>= 1) has said it already.
    if (spec.pools && !spec.pools->empty()) {
      errors.push_back({"spec.pools", "must hold at least one voting member (replicas)"});
    }
    return;
  }
  if (voters % 2 == 0 && !spec.allowEvenReplicas.value_or(false)) {
    errors.push_back({"spec.replicas", std::to_string(voters) +
                                           " voting members is an even number: it tolerates "
                                           "no more failures than " +
                                           std::to_string(voters - 1) +
                                           "; use an odd number or set spec.allowEvenReplicas"});
  }
}

void validatePools(const ZookeeperClusterSpec& spec, FieldErrors& errors) {
  if (!spec.pools || spec.pools->empty()) return;
  std::map<std::string, std::size_t> seen;
  int sum = 0;
  for (std::size_t i = 0; i < spec.pools->size(); ++i) {
    const auto& pool = (*spec.pools)[i];
    const auto path = "spec.pools[" + std::to_string(i) + "]";
    if (auto [it, fresh] = seen.emplace(pool.name, i); !fresh) {
      errors.push_back({path + ".name", "duplicate value \"" + pool.name + "\" (also spec.pools[" +
                                            std::to_string(it->second) + "])"});
    }
    if (pool.replicas.value_or(0) + pool.observers.value_or(0) == 0) {
      errors.push_back({path, "has no members: set replicas or observers"});
    }
    sum += pool.replicas.value_or(0);
  }
  if (spec.replicas && *spec.replicas != sum) {
    errors.push_back({"spec.replicas", "must equal the sum of spec.pools[*].replicas (" +
                                           std::to_string(sum) + ") or be left unset"});
  }
  if (spec.observers.value_or(0) != 0) {
    errors.push_back({"spec.observers",
                      "must be 0 when spec.pools is set: give observers to "
                      "the pools"});
  }
}

void validateMyids(const ZookeeperClusterSpec& spec, FieldErrors& errors) {
  const int base = spec.myidBase.value_or(1);
  const int members = kubernetesMemberCount(spec);
  const int highestBase = kMaxMyid - members + 1;
  if (base >= 1 && base > highestBase) {
    errors.push_back({"spec.myidBase", "must be <= " + std::to_string(highestBase) + " (" +
                                           std::to_string(kMaxMyid) + " - " +
                                           std::to_string(members) + " members + 1)"});
  }
  if (!spec.externalMembers) return;
  std::map<int, std::size_t> myids;
  std::map<std::string, std::size_t> hosts;
  for (std::size_t i = 0; i < spec.externalMembers->size(); ++i) {
    const auto& m = (*spec.externalMembers)[i];
    const auto path = "spec.externalMembers[" + std::to_string(i) + "]";
    if (auto [it, fresh] = myids.emplace(m.myid, i); !fresh) {
      errors.push_back({path + ".myid", "duplicate value " + std::to_string(m.myid) +
                                            " (also spec.externalMembers[" +
                                            std::to_string(it->second) + "])"});
    }
    if (auto [it, fresh] = hosts.emplace(m.host, i); !fresh) {
      errors.push_back({path + ".host", "duplicate value \"" + m.host +
                                            "\" (also spec.externalMembers[" +
                                            std::to_string(it->second) + "])"});
    }
    if (m.myid >= base && m.myid < base + members) {
      errors.push_back({path + ".myid", "collides with the myids " + std::to_string(base) + ".." +
                                            std::to_string(base + members - 1) +
                                            " issued to this cluster's members"});
    }
  }
}

void validatePorts(const ZookeeperClusterSpec& spec, FieldErrors& errors) {
  if (!spec.ports) return;
  const auto& p = *spec.ports;
  const std::pair<const char*, std::optional<int>> ports[] = {{"client", p.client},
                                                              {"quorum", p.quorum},
                                                              {"election", p.election},
                                                              {"admin", p.admin},
                                                              {"metrics", p.metrics}};
  std::map<int, const char*> used;
  for (const auto& [name, port] : ports) {
    if (!port) continue;
    if (auto [it, fresh] = used.emplace(*port, name); !fresh) {
      errors.push_back(
          {std::string("spec.ports.") + name,
           "port " + std::to_string(*port) + " is already used by spec.ports." + it->second});
    }
  }
}

void validateVersion(const ZookeeperClusterSpec& spec, FieldErrors& errors) {
  if (!spec.version) {
    errors.push_back({"spec.version", "required when spec.image.tag (\"" +
                                          spec.image.value_or(ImageSpec{}).tag.value_or("") +
                                          "\") does not name a ZooKeeper version"});
    return;
  }
  const auto version = ZooKeeperVersion::parse(*spec.version);
  static const std::regex shape(R"(^[0-9]+\.[0-9]+\.[0-9]+([-.][0-9A-Za-z.-]+)?$)");
  if (!version && !std::regex_match(*spec.version, shape)) return;  // the field's pattern said it
  if (!version) {
    errors.push_back({"spec.version", "\"" + *spec.version +
                                          "\" is not a ZooKeeper version "
                                          "(3.4.0 or later, e.g. 3.8.4)"});
    return;
  }
  if (spec.reconfigMode.value_or(ReconfigMode::Dynamic) == ReconfigMode::Dynamic &&
      !version->supportsReconfig()) {
    errors.push_back({"spec.reconfigMode",
                      "Dynamic needs ZooKeeper 3.5 or later (spec.version "
                      "is " +
                          *spec.version + "); use Static"});
  }
  if (spec.updatePolicy && spec.updatePolicy->strategy == UpdateStrategy::Handoff &&
      spec.reconfigMode == ReconfigMode::Static) {
    errors.push_back({"spec.updatePolicy.strategy", "Handoff needs reconfigMode Dynamic"});
  }
}

void validateConfig(const ZookeeperClusterSpec& spec, FieldErrors& errors) {
  if (!spec.config || !spec.config->extra) return;
  for (const auto& [key, value] : *spec.config->extra) {
    if (isManagedConfigKey(key)) {
      errors.push_back({"spec.config.extra." + key,
                        "is managed by the operator and cannot be "
                        "set here"});
    }
    if (key.find_first_of("\n=") != std::string::npos || value.find('\n') != std::string::npos) {
      errors.push_back({"spec.config.extra." + key,
                        "keys and values must be single lines and "
                        "keys cannot contain '='"});
    }
  }
  const auto& c = *spec.config;
  if (c.syncLimit && c.initLimit && *c.syncLimit > *c.initLimit) {
    errors.push_back({"spec.config.syncLimit", "must be <= spec.config.initLimit"});
  }
}

}  // namespace

int kubernetesMemberCount(const ZookeeperClusterSpec& spec) {
  int members = 0;
  for (const auto& pool : effectivePools(spec)) {
    members += pool.replicas.value_or(0) + pool.observers.value_or(0);
  }
  return members;
}

FieldErrors validateCluster(const ZookeeperCluster& cluster) {
  FieldErrors errors;
  BoundsChecker bounds("spec", errors);
  visitFields(bounds, cluster.spec);
  validateName(cluster, errors);
  validateVoters(cluster.spec, errors);
  validatePools(cluster.spec, errors);
  validateMyids(cluster.spec, errors);
  validatePorts(cluster.spec, errors);
  validateVersion(cluster.spec, errors);
  validateConfig(cluster.spec, errors);
  return errors;
}

FieldErrors validateUpdate(const ZookeeperCluster& before, const ZookeeperCluster& after) {
  FieldErrors errors;
  if (before.spec.myidBase != after.spec.myidBase) {
    errors.push_back({"spec.myidBase", "is immutable"});
  }
  if (before.spec.reconfigMode != after.spec.reconfigMode) {
    errors.push_back({"spec.reconfigMode", "is immutable"});
  }
  const auto from = ZooKeeperVersion::parse(before.spec.version.value_or(""));
  const auto to = ZooKeeperVersion::parse(after.spec.version.value_or(""));
  if (from && to) {
    switch (upgradePath(*from, *to)) {
      case UpgradePath::Downgrade:
        errors.push_back({"spec.version", "downgrade from " + from->toString() + " to " +
                                              to->toString() + " is not supported"});
        break;
      case UpgradePath::Unsupported:
        errors.push_back({"spec.version", "cannot roll from " + from->toString() + " to " +
                                              to->toString() +
                                              " in one step: upgrade one minor "
                                              "release at a time"});
        break;
      default:
        break;
    }
  }
  return errors;
}

FieldErrors validateDocument(const Json& document) {
  auto decoded = decodeCluster(document);
  applyDefaults(decoded.cluster);
  auto semantic = validateCluster(decoded.cluster);
  // A field that failed to decode is absent from the model; the semantic rules may then
  // report it again as missing. Keep the decoder's more precise message only.
  std::set<std::string> decodedPaths;
  for (const auto& e : decoded.errors) decodedPaths.insert(e.path);
  for (auto& e : semantic) {
    if (!decodedPaths.contains(e.path)) decoded.errors.push_back(std::move(e));
  }
  return decoded.errors;
}

}  // namespace zkop::api
