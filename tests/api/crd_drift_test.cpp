// The CRD in crds/ is generated from the C++ model. These tests fail when the file, the
// schema and the model drift apart, and check the CRD is a structural apiextensions/v1 one.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "controllers/api/api_reference.h"
#include "controllers/api/crd.h"
#include "controllers/api/json_codec.h"
#include "controllers/api/yaml_json.h"

namespace zkop::api {
namespace {

Json crdFromFile() {
  std::ifstream in(std::string(ZKOP_SOURCE_DIR) + "/crds/zookeepercluster.yaml");
  std::stringstream text;
  text << in.rdbuf();
  auto docs = parseYamlDocuments(text.str());
  if (!docs || docs->size() != 1) return nullptr;
  return (*docs)[0];
}

TEST(CrdDrift, FileInCrdsMatchesTheModel) {
  const auto file = crdFromFile();
  ASSERT_FALSE(file.is_null()) << "crds/zookeepercluster.yaml missing or not one document";
  EXPECT_EQ(file, zookeeperClusterCrd())
      << "crds/zookeepercluster.yaml is stale: regenerate it with "
         "`build/bin/zkop crd > crds/zookeepercluster.yaml`";
}

TEST(CrdDrift, ApiReferenceInDocsMatchesTheModel) {
  std::ifstream in(std::string(ZKOP_SOURCE_DIR) + "/docs/api.md");
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), apiReferenceMarkdown())
      << "docs/api.md is stale: regenerate it with `build/bin/zkop crd --reference > docs/api.md`";
}

TEST(CrdDrift, DeclaresSubresourcesColumnsAndNames) {
  const auto crd = zookeeperClusterCrd();
  EXPECT_EQ(crd["apiVersion"], "apiextensions.k8s.io/v1");
  EXPECT_EQ(crd["metadata"]["name"], "zookeeperclusters.zkop.io");
  EXPECT_EQ(crd["spec"]["names"]["shortNames"], Json::array({"zk", "zkc"}));
  EXPECT_EQ(crd["spec"]["scope"], "Namespaced");
  const auto& version = crd["spec"]["versions"][0];
  EXPECT_TRUE(version["subresources"]["status"].is_object());
  EXPECT_EQ(version["subresources"]["scale"]["specReplicasPath"], ".spec.replicas");
  EXPECT_EQ(version["subresources"]["scale"]["statusReplicasPath"], ".status.replicas");
  EXPECT_EQ(version["subresources"]["scale"]["labelSelectorPath"], ".status.selector");
  std::vector<std::string> columns;
  for (const auto& c : version["additionalPrinterColumns"]) {
    if (!c.contains("priority")) columns.push_back(c["name"]);
  }
  EXPECT_EQ(columns,
            (std::vector<std::string>{"Replicas", "Ready", "Leader", "Version", "Phase", "Age"}));
}

// Structural schema (apiextensions/v1): every node has a type unless it preserves unknown
// fields; defaults have the node's type; list-map keys are required in the items.
void checkStructural(const Json& node, const std::string& path, std::vector<std::string>& bad) {
  const bool preserve = node.value("x-kubernetes-preserve-unknown-fields", false);
  if (!node.contains("type") && !preserve) bad.push_back(path + ": no type");
  const auto type = node.value("type", "");
  if (node.contains("default")) {
    const auto& d = node["default"];
    const bool ok = (type == "object" && d.is_object()) || (type == "string" && d.is_string()) ||
                    (type == "integer" && d.is_number_integer()) ||
                    (type == "boolean" && d.is_boolean()) || (type == "array" && d.is_array());
    if (!ok) bad.push_back(path + ": default " + d.dump() + " is not a " + type);
    if (node.contains("enum") && d.is_string()) {
      const auto& values = node["enum"];
      if (std::find(values.begin(), values.end(), d) == values.end()) {
        bad.push_back(path + ": default not in enum");
      }
    }
  }
  if (node.contains("x-kubernetes-list-map-keys")) {
    const auto& required = node["items"].value("required", Json::array());
    for (const auto& key : node["x-kubernetes-list-map-keys"]) {
      if (std::find(required.begin(), required.end(), key) == required.end()) {
        bad.push_back(path + ": list-map key " + key.dump() + " is not required in items");
      }
    }
  }
  if (node.contains("properties")) {
    for (const auto& [key, child] : node["properties"].items()) {
      checkStructural(child, path + "." + key, bad);
    }
  }
  if (node.contains("items")) checkStructural(node["items"], path + "[]", bad);
}

TEST(CrdDrift, SchemaIsStructural) {
  const auto schema = zookeeperClusterCrd()["spec"]["versions"][0]["schema"]["openAPIV3Schema"];
  std::vector<std::string> bad;
  checkStructural(schema, "<root>", bad);
  for (const auto& b : bad) ADD_FAILURE() << b;
}

// A value for every field the schema declares.
Json sampleOf(const Json& schema) {
  const auto type = schema.value("type", "object");
  if (schema.contains("enum")) return schema["enum"][0];
  if (type == "string") return "s";
  if (type == "integer") return schema.value("minimum", 1);
  if (type == "boolean") return true;
  if (type == "array") return Json::array({sampleOf(schema["items"])});
  if (schema.contains("additionalProperties"))
    return {{"key", sampleOf(schema["additionalProperties"])}};
  if (!schema.contains("properties")) return {{"preserved", {{"nested", 1}}}};
  Json out = Json::object();
  for (const auto& [key, child] : schema["properties"].items()) out[key] = sampleOf(child);
  return out;
}

TEST(CrdDrift, ModelReadsAndWritesEveryFieldOfTheSchema) {
  const auto schema = zookeeperClusterCrd()["spec"]["versions"][0]["schema"]["openAPIV3Schema"];
  Json sample = sampleOf(schema);
  sample["apiVersion"] = "zkop.io/v1alpha1";
  sample["kind"] = "ZookeeperCluster";
  sample["metadata"] = {{"name", "zk"}};
  const auto decoded = decodeCluster(sample);
  for (const auto& e : decoded.errors)
    ADD_FAILURE() << "model cannot read the schema: " << e.toString();
  // Equality both ways: nothing in the schema is dropped by the model, and the model
  // writes nothing the schema does not declare.
  EXPECT_EQ(encodeCluster(decoded.cluster), sample);
}

}  // namespace
}  // namespace zkop::api
