#pragma once

// Kubernetes JSON <-> model. Decoding never throws: every problem (wrong type, unsupported
// enum value, missing required field, unknown field) becomes a FieldError with its path,
// and decoding goes on so that all problems are reported at once.

#include <string>

#include "controllers/api/cluster_types.h"
#include "controllers/api/field_error.h"

namespace zkop::api {

struct Decoded {
  ZookeeperCluster cluster;
  FieldErrors errors;
};

// Decodes a whole ZookeeperCluster object (apiVersion, kind, metadata, spec, status).
Decoded decodeCluster(const Json& object);
Json encodeCluster(const ZookeeperCluster& cluster);

Json encodeSpec(const ZookeeperClusterSpec& spec);
Json encodeStatus(const ZookeeperClusterStatus& status);
ZookeeperClusterStatus decodeStatus(const Json& status, FieldErrors& errors);

}  // namespace zkop::api
