#include "controllers/api/api_reference.h"

#include "controllers/api/openapi_schema.h"

namespace zkop::api {
namespace {

std::string typeOf(const Json& node) {
  const auto type = node.value("type", "object");
  if (type == "array") {
    const auto& items = node["items"];
    return "[]" + (items.contains("properties") ? std::string("object") : typeOf(items));
  }
  if (type == "object" && node.contains("additionalProperties")) return "map[string]string";
  if (node.contains("enum")) {
    std::string values;
    for (const auto& v : node["enum"])
      values += (values.empty() ? "" : " \\| ") + v.get<std::string>();
    return "enum: " + values;
  }
  return type;
}

std::string notes(const Json& node) {
  std::string out;
  auto add = [&](const std::string& s) { out += (out.empty() ? "" : "; ") + s; };
  if (node.contains("default")) add("default `" + node["default"].dump() + "`");
  if (node.contains("minimum")) add("min " + node["minimum"].dump());
  if (node.contains("maximum")) add("max " + node["maximum"].dump());
  if (node.contains("x-kubernetes-validations")) {
    for (const auto& r : node["x-kubernetes-validations"]) add(r["message"].get<std::string>());
  }
  if (node.value("x-kubernetes-preserve-unknown-fields", false) ||
      (node.contains("items") &&
       node["items"].value("x-kubernetes-preserve-unknown-fields", false))) {
    add("passed through as-is");
  }
  return out;
}

void rows(const Json& node, const std::string& path, std::string& out) {
  const Json* object = &node;
  if (node.value("type", "") == "array" && node["items"].contains("properties")) {
    object = &node["items"];
  }
  if (!object->contains("properties")) return;
  const auto required = object->value("required", Json::array());
  for (const auto& [key, child] : (*object)["properties"].items()) {
    const auto childPath = path + "." + key + (child.value("type", "") == "array" ? "[]" : "");
    std::string description = child.value("description", "");
    if (std::find(required.begin(), required.end(), key) != required.end()) {
      description = "**Required.** " + description;
    }
    out += "| `" + childPath + "` | " + typeOf(child) + " | " + description + " | " + notes(child) +
           " |\n";
    rows(child, childPath, out);
  }
}

}  // namespace

std::string apiReferenceMarkdown() {
  const auto schema = zookeeperClusterSchema();
  std::string out =
      "# ZookeeperCluster reference (zkop.io/v1alpha1)\n\n"
      "Generated from the C++ model by `zkop crd --reference`; a unit test fails when this "
      "file is stale.\n\n"
      "Short names: `zk`, `zkc`. Subresources: `status`, `scale` (`spec.replicas`, "
      "`status.replicas`, `status.selector`).\n\n";
  for (const char* part : {"spec", "status"}) {
    out += std::string("## ") + part + "\n\n" +
           schema["properties"][part].value("description", "") +
           "\n\n| field | type | description | notes |\n| --- | --- | --- | --- |\n";
    rows(schema["properties"][part], part, out);
    out += "\n";
  }
  return out;
}

}  // namespace zkop::api
