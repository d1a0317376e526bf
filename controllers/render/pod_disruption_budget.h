#pragma once

#include "controllers/render/render.h"

namespace zkop::render {

// At most one member voluntarily evicted at a time (node drains), matching the operator's
// own rule of one member down at a time.
Json renderPodDisruptionBudget(const api::ZookeeperCluster& cluster);

}  // namespace zkop::render
