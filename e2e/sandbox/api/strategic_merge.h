#pragma once

#include <nlohmann/json.hpp>

#include "e2e/sandbox/api/api_error.h"

namespace zkop::sandbox {

// Applies a strategic merge patch to a built-in object. Lists are merged by the merge keys of
// the Kubernetes types that kubectl relies on (containers, initContainers, env, volumes by name;
// volumeMounts by mountPath; container ports by containerPort; service ports by port;
// ownerReferences by uid; conditions by type; metadata.finalizers as a set); other lists are
// replaced. Directives: `$patch: replace|delete|merge`, `$retainKeys`,
// `$deleteFromPrimitiveList/<field>` and `$setElementOrder/<field>`.
Result<nlohmann::json> strategic_merge(const nlohmann::json& original, const nlohmann::json& patch);

}  // namespace zkop::sandbox
