#pragma once

#include "controllers/render/render.h"

namespace zkop::render {

// One StatefulSet per pool. updateStrategy OnDelete: the operator, not Kubernetes, decides
// which pod restarts when. OrderedReady: pods come up one at a time; the operator grows
// the member set one member at a time anyway (a joiner syncs before the next starts).
// Replicas come from the member set, not from the spec: the operator changes the spec's
// shape step by step.
Json renderStatefulSet(const RenderInput& input, const api::PoolSpec& pool);

}  // namespace zkop::render
