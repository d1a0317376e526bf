#pragma once

#include "controllers/api/json.h"

namespace zkop::api {

// The CustomResourceDefinition (apiextensions.k8s.io/v1) of ZookeeperCluster. crds/ holds
// this object as YAML (`zkop crd` prints it; a unit test fails when the file drifts).
Json zookeeperClusterCrd();

}  // namespace zkop::api
