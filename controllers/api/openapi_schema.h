#pragma once

#include "controllers/api/json.h"

namespace zkop::api {

// The structural OpenAPI v3 schema of ZookeeperCluster, derived from the model's
// visitFields declarations (descriptions, bounds, defaults, enums, list keys, CEL rules).
Json zookeeperClusterSchema();

}  // namespace zkop::api
