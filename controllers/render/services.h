#pragma once

#include "controllers/render/render.h"

namespace zkop::render {

// Headless Service: stable DNS <pod>.<cluster>-headless.<ns>.svc.<domain> for every member,
// published before the pod is ready (a joiner must be reachable to sync).
Json renderHeadlessService(const api::ZookeeperCluster& cluster);
// Client Service: the client port of ready members only.
Json renderClientService(const api::ZookeeperCluster& cluster);

}  // namespace zkop::render
