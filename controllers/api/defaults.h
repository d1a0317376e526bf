#pragma once

#include "controllers/api/cluster_types.h"

namespace zkop::api {

// The version a cluster gets when neither spec.version nor spec.image.tag says one.
inline constexpr std::string_view kDefaultZooKeeperVersion = "3.8.4";

// Fills every field the API server would default (the CRD's `default`s) and the few that
// depend on other fields: replicas (sum of pools, else 3), version <-> image tag, the
// super-user secret's name. Idempotent; never overwrites what is set.
void applyDefaults(ZookeeperCluster& cluster);

// The pools members are placed in: spec.pools, or one pool named "default" made of
// spec.replicas and spec.observers. Expects a defaulted spec.
std::vector<PoolSpec> effectivePools(const ZookeeperClusterSpec& spec);

inline constexpr std::string_view kDefaultPoolName = "default";

}  // namespace zkop::api
