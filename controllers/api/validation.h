#pragma once

#include "controllers/api/cluster_types.h"
#include "controllers/api/field_error.h"

namespace zkop::api {

// Every rule a ZookeeperCluster must satisfy, each violation named by its field path.
// Expects a defaulted cluster (api::applyDefaults). Returns all problems, not the first.
FieldErrors validateCluster(const ZookeeperCluster& cluster);

// Rules about a change from `before` to `after` (both defaulted): immutable fields and
// version paths a rolling upgrade cannot take.
FieldErrors validateUpdate(const ZookeeperCluster& before, const ZookeeperCluster& after);

// Decode + default + validate one JSON document: what `zkop validate` reports for it.
FieldErrors validateDocument(const Json& document);

// The number of members the cluster runs in Kubernetes (voters + observers of all pools).
int kubernetesMemberCount(const ZookeeperClusterSpec& spec);

}  // namespace zkop::api
