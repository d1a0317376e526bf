#include "e2e/sandbox/api/crd_validation.h"

#include <string>

namespace zkop::sandbox {

using nlohmann::json;

namespace {
std::string text(const json& object, const char* key) {
  return object.is_object() && object.contains(key) && object.at(key).is_string()
             ? object.at(key).get<std::string>()
             : std::string();
}
}  // namespace

std::vector<FieldCause> validate_crd(const json& crd) {
  std::vector<FieldCause> causes;
  const json spec = crd.value("spec", json::object());
  const json names = spec.value("names", json::object());
  const std::string group = text(spec, "group");
  const std::string plural = text(names, "plural");
  if (group.empty()) causes.push_back({"FieldValueRequired", "spec.group", "Required value"});
  if (plural.empty())
    causes.push_back({"FieldValueRequired", "spec.names.plural", "Required value"});
  if (text(names, "kind").empty()) {
    causes.push_back({"FieldValueRequired", "spec.names.kind", "Required value"});
  }
  const std::string name = text(crd.value("metadata", json::object()), "name");
  if (!group.empty() && !plural.empty() && name != plural + "." + group) {
    causes.push_back(
        {"FieldValueInvalid", "metadata.name",
         "Invalid value: \"" + name + "\": must be spec.names.plural+\".\"+spec.group"});
  }
  const std::string scope = text(spec, "scope");
  if (scope != "Namespaced" && scope != "Cluster") {
    causes.push_back(
        {"FieldValueNotSupported", "spec.scope",
         "Unsupported value: \"" + scope + "\": supported values: \"Cluster\", \"Namespaced\""});
  }
  const json versions = spec.value("versions", json::array());
  if (!versions.is_array() || versions.empty()) {
    causes.push_back({"FieldValueRequired", "spec.versions",
                      "Required value: must have exactly one version marked as storage version"});
    return causes;
  }
  int storage = 0;
  for (std::size_t i = 0; i < versions.size(); ++i) {
    const json& v = versions[i];
    const std::string at = "spec.versions[" + std::to_string(i) + "]";
    if (text(v, "name").empty())
      causes.push_back({"FieldValueRequired", at + ".name", "Required value"});
    if (v.value("storage", false)) ++storage;
    if (!v.contains("schema") || !v["schema"].contains("openAPIV3Schema")) {
      causes.push_back({"FieldValueRequired", at + ".schema.openAPIV3Schema",
                        "Required value: schemas are required"});
    }
  }
  if (storage != 1) {
    causes.push_back({"FieldValueInvalid", "spec.versions",
                      "Invalid value: must have exactly one version marked as storage version"});
  }
  return causes;
}

}  // namespace zkop::sandbox
