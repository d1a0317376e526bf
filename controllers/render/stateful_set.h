#pragma once

#include "controllers/render/render.h"

namespace zkop::render {

// One StatefulSet per pool. updateStrategy OnDelete: the operator, not Kubernetes, decides
// which pod restarts when. podManagementPolicy Parallel, not OrderedReady: readiness means
// "serving in a quorum", so with OrderedReady a pool that lost two of three pods (or all)
// could never recover — the StatefulSet controller would wait for pod 0 to be ready before
// recreating pod 1, and pod 0 cannot be ready without pod 1. The operator, not pod order,
// paces members: replicas come from its member set, which grows one member at a time.
Json renderStatefulSet(const RenderInput& input, const api::PoolSpec& pool);

}  // namespace zkop::render
