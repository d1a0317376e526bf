#pragma once

// A defaulted ZookeeperCluster from a spec and a status written as JSON, for the reconciler's
// tests.

#include <gtest/gtest.h>

#include "controllers/api/defaults.h"
#include "controllers/api/json_codec.h"

namespace zkop::reconciler::testing {

inline api::ZookeeperCluster makeCluster(const Json& spec, const Json& status = Json::object(),
                                         const std::string& name = "zk") {
  Json object = {{"apiVersion", "zkop.io/v1alpha1"},
                 {"kind", "ZookeeperCluster"},
                 {"metadata", {{"name", name}, {"namespace", "ns"}, {"uid", "cluster-uid"}}},
                 {"spec", spec}};
  if (!status.empty()) object["status"] = status;
  auto decoded = api::decodeCluster(object);
  EXPECT_TRUE(decoded.errors.empty()) << object.dump();
  api::applyDefaults(decoded.cluster);
  return decoded.cluster;
}

}  // namespace zkop::reconciler::testing
