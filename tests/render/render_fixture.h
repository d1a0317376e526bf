#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include "controllers/api/defaults.h"
#include "controllers/api/json_codec.h"
#include "controllers/api/yaml_json.h"

namespace zkop::render::testing {

inline std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A defaulted cluster from a file under examples/ (the first document).
inline api::ZookeeperCluster exampleCluster(const std::string& name) {
  const auto docs =
      api::parseYamlDocuments(readFile(std::string(ZKOP_SOURCE_DIR) + "/examples/" + name));
  auto cluster = api::decodeCluster(docs.value().at(0)).cluster;
  cluster.metadata["uid"] = "0e8e4c1a-uid-" + cluster.name();
  api::applyDefaults(cluster);
  return cluster;
}

inline api::ZookeeperCluster clusterFromSpec(const char* spec, const char* name = "zk") {
  Json object = {{"apiVersion", "zkop.io/v1alpha1"},
                 {"kind", "ZookeeperCluster"},
                 {"metadata", {{"name", name}, {"namespace", "default"}, {"uid", "uid-1"}}},
                 {"spec", Json::parse(spec)}};
  auto cluster = api::decodeCluster(object).cluster;
  api::applyDefaults(cluster);
  return cluster;
}

}  // namespace zkop::render::testing
