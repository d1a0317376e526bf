#include "controllers/api/defaults.h"

#include "controllers/api/zookeeper_version.h"

namespace zkop::api {
namespace {

// Sets the static defaults declared in visitFields, recursing into structs and lists.
class Defaulter {
 public:
  template <class T>
  void field(std::string_view, std::optional<T>& value, const FieldDoc& doc) {
    if (!value) {
      if (!doc.defaultValue.is_null()) {
        value = fromDefault<T>(doc.defaultValue);
      } else if (doc.defaultEmptyObject) {
        if constexpr (std::is_default_constructible_v<T>) value = T{};
      }
    }
    if (value) descend(*value);
  }
  template <class T>
  void field(std::string_view, T& value, const FieldDoc&) {
    descend(value);
  }

 private:
  template <class T>
  static std::optional<T> fromDefault(const Json& j) {
    if constexpr (WireEnum<T>) {
      return enumFromName<T>(j.get<std::string>());
    } else if constexpr (std::is_same_v<T, int> || std::is_same_v<T, std::int64_t> ||
                         std::is_same_v<T, bool> || std::is_same_v<T, std::string>) {
      return j.get<T>();
    } else {
      return std::nullopt;
    }
  }
  template <class T>
  void descend(T& value) {
    if constexpr (requires(Defaulter & d) { visitFields(d, value); }) {
      visitFields(*this, value);
    } else if constexpr (
        requires {
          value.begin();
          typename T::value_type;
        } &&
        requires(Defaulter & d, typename T::value_type & item) { visitFields(d, item); }) {
      for (auto& item : value) visitFields(*this, item);
    }
  }
};

}  // namespace

void applyDefaults(ZookeeperCluster& cluster) {
  auto& spec = cluster.spec;
  Defaulter defaulter;
  visitFields(defaulter, spec);

  if (!spec.replicas) {
    if (spec.pools && !spec.pools->empty()) {
      int sum = 0;
      for (const auto& pool : *spec.pools) sum += pool.replicas.value_or(0);
      spec.replicas = sum;
    } else {
      spec.replicas = 3;
    }
  }
  auto& image = spec.image.value();
  if (!spec.version) {
    if (image.tag) {
      if (auto v = ZooKeeperVersion::fromImageTag(*image.tag)) spec.version = v->toString();
    } else {
      spec.version = std::string(kDefaultZooKeeperVersion);
    }
  }
  if (!image.tag && spec.version) image.tag = *spec.version;
  auto& security = spec.security.value();
  if (!security.superUserSecret && !cluster.name().empty()) {
    security.superUserSecret = cluster.name() + "-super";
  }
}

std::vector<PoolSpec> effectivePools(const ZookeeperClusterSpec& spec) {
  if (spec.pools && !spec.pools->empty()) return *spec.pools;
  PoolSpec pool;
  pool.name = std::string(kDefaultPoolName);
  pool.replicas = spec.replicas.value_or(3);
  pool.observers = spec.observers.value_or(0);
  pool.leaderPriority = 0;
  return {pool};
}

}  // namespace zkop::api
