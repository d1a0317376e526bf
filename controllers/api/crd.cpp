#include "controllers/api/crd.h"

#include <string>

#include "controllers/api/cluster_types.h"
#include "controllers/api/openapi_schema.h"

namespace zkop::api {

Json zookeeperClusterCrd() {
  const std::string group(kGroup);
  const std::string plural(kPlural);
  auto column = [](std::string name, std::string type, std::string path, std::string description,
                   int priority = 0) {
    Json c = {{"name", std::move(name)},
              {"type", std::move(type)},
              {"jsonPath", std::move(path)},
              {"description", std::move(description)}};
    if (priority != 0) c["priority"] = priority;
    return c;
  };
  Json version = {
      {"name", std::string(kVersion)},
      {"served", true},
      {"storage", true},
      {"schema", {{"openAPIV3Schema", zookeeperClusterSchema()}}},
      {"subresources",
       {{"status", Json::object()},
        {"scale",
         {{"specReplicasPath", ".spec.replicas"},
          {"statusReplicasPath", ".status.replicas"},
          {"labelSelectorPath", ".status.selector"}}}}},
      {"additionalPrinterColumns",
       Json::array({
           column("Replicas", "integer", ".spec.replicas", "Desired voting members"),
           column("Ready", "integer", ".status.readyReplicas", "Members whose pods are ready"),
           column("Leader", "string", ".status.leader", "Current leader"),
           column("Version", "string", ".status.currentVersion", "ZooKeeper version running"),
           column("Phase", "string", ".status.phase", "What the cluster is doing"),
           column("Age", "date", ".metadata.creationTimestamp", "Age of the resource"),
           column("Mode", "string", ".spec.reconfigMode", "Dynamic or Static membership", 1),
           column("Config", "string", ".status.configVersion", "Committed config version", 1),
       })},
  };
  return {
      {"apiVersion", "apiextensions.k8s.io/v1"},
      {"kind", "CustomResourceDefinition"},
      {"metadata",
       {{"name", plural + "." + group},
        {"labels", {{"app.kubernetes.io/name", "zkop"}, {"app.kubernetes.io/part-of", "zkop"}}}}},
      {"spec",
       {{"group", group},
        {"scope", "Namespaced"},
        {"names",
         {{"plural", plural},
          {"singular", "zookeepercluster"},
          {"kind", std::string(kKind)},
          {"listKind", std::string(kKind) + "List"},
          {"shortNames", Json::array({"zk", "zkc"})},
          {"categories", Json::array({"zookeeper"})}}},
        {"versions", Json::array({version})}}},
  };
}

}  // namespace zkop::api
