#pragma once

#include "controllers/render/render.h"

namespace zkop::render {

// The ConfigMap every member mounts at /zkop/config:
//   cluster.env      names and ports the scripts need
//   zoo.cfg          the static settings shared by all members
//   zoo.cfg.dynamic  the committed server list, config-version its version (hex)
//   myids            pod=myid, one per line
//   served-myids     myids (of members in the map) the operator has seen serve, one per line
//   lost-myids       myids (of members in the map) whose data was found lost: to replace
//   start.sh         decides who the member is and starts ZooKeeper (scripts/start.sh)
//   probe.sh         readiness (serving in a quorum) and liveness (ruok)
Json renderConfigMap(const RenderInput& input);

// zoo.cfg's shared part (also used by tests and docs).
std::string renderZooCfg(const api::ZookeeperCluster& cluster);

inline constexpr std::string_view kConfigMountPath = "/zkop/config";
inline constexpr std::string_view kDataMountPath = "/data";

}  // namespace zkop::render
