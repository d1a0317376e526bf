#pragma once

#include <vector>

#include "e2e/sandbox/api/resource_type.h"

namespace zkop::sandbox {

// The built-in kinds the sandbox stores (issue 4), with the columns `kubectl get` shows for them.
std::vector<ResourceType> builtin_resource_types();

}  // namespace zkop::sandbox
