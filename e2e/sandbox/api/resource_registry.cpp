#include "e2e/sandbox/api/resource_registry.h"

#include <algorithm>

#include "e2e/sandbox/api/builtin_resources.h"

namespace zkop::sandbox {

using nlohmann::json;

ResourceRegistry::ResourceRegistry() : builtin_(builtin_resource_types()) {
  for (auto& t : builtin_) {
    if (t.plural == "customresourcedefinitions") {
      t.columns = {{"Created At", "string", "date-time", "", ".metadata.creationTimestamp", 0}};
    }
  }
}

const ResourceType* ResourceRegistry::find(std::string_view group, std::string_view version,
                                           std::string_view plural) const {
  for (const ResourceType* t : all()) {
    if (t->group == group && t->version == version && t->plural == plural) return t;
  }
  return nullptr;
}

const ResourceType* ResourceRegistry::find_by_storage_key(std::string_view storage_key) const {
  for (const ResourceType* t : all()) {
    if (t->storage_key() == storage_key) return t;
  }
  return nullptr;
}

std::vector<const ResourceType*> ResourceRegistry::in_group_version(
    std::string_view group, std::string_view version) const {
  std::vector<const ResourceType*> out;
  for (const ResourceType* t : all()) {
    if (t->group == group && t->version == version) out.push_back(t);
  }
  return out;
}

std::vector<const ResourceType*> ResourceRegistry::all() const {
  std::vector<const ResourceType*> out;
  for (const auto& t : builtin_) out.push_back(&t);
  for (const auto& [name, types] : custom_) {
    for (const auto& t : types) out.push_back(&t);
  }
  return out;
}

std::vector<std::pair<std::string, std::vector<std::string>>> ResourceRegistry::groups() const {
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  for (const ResourceType* t : all()) {
    auto it =
        std::find_if(out.begin(), out.end(), [&](const auto& g) { return g.first == t->group; });
    if (it == out.end()) {
      out.push_back({t->group, {t->version}});
    } else if (std::find(it->second.begin(), it->second.end(), t->version) == it->second.end()) {
      it->second.push_back(t->version);
    }
  }
  return out;
}

void ResourceRegistry::set_custom(const std::string& crd_name, std::vector<ResourceType> types) {
  if (types.empty()) {
    custom_.erase(crd_name);
  } else {
    custom_[crd_name] = std::move(types);
  }
}

namespace {

std::vector<std::string> strings(const json& j) {
  std::vector<std::string> out;
  if (j.is_array()) {
    for (const auto& s : j) {
      if (s.is_string()) out.push_back(s.get<std::string>());
    }
  }
  return out;
}

std::string str(const json& j, const char* key) {
  if (!j.is_object() || !j.contains(key) || !j.at(key).is_string()) return {};
  return j.at(key).get<std::string>();
}

}  // namespace

std::vector<ResourceType> resource_types_from_crd(const json& crd) {
  std::vector<ResourceType> out;
  const json& spec = crd.value("spec", json::object());
  const json& names = spec.value("names", json::object());
  const std::string group = str(spec, "group");
  const bool namespaced = str(spec, "scope") != "Cluster";
  // The first listed version is the preferred one in discovery, as with a real server's
  // ordering by version priority for the common single-version case.
  for (const json& v : spec.value("versions", json::array())) {
    if (!v.value("served", true)) continue;
    ResourceType t;
    t.group = group;
    t.version = str(v, "name");
    t.plural = str(names, "plural");
    t.singular = str(names, "singular");
    if (t.singular.empty()) {
      std::string k = str(names, "kind");
      std::transform(k.begin(), k.end(), k.begin(),
                     [](unsigned char c) { return std::tolower(c); });
      t.singular = k;
    }
    t.kind = str(names, "kind");
    t.list_kind = str(names, "listKind");
    if (t.list_kind.empty()) t.list_kind = t.kind + "List";
    t.namespaced = namespaced;
    t.short_names = strings(names.value("shortNames", json::array()));
    t.categories = strings(names.value("categories", json::array()));
    t.custom = true;
    t.allow_unconditional_update = false;
    const json& sub = v.value("subresources", json::object());
    t.status_subresource = sub.contains("status");
    if (sub.contains("scale")) {
      const json& scale = sub["scale"];
      ScalePaths paths;
      paths.spec_replicas = scale.value("specReplicasPath", ".spec.replicas");
      paths.status_replicas = scale.value("statusReplicasPath", ".status.replicas");
      paths.label_selector = scale.value("labelSelectorPath", "");
      t.scale = paths;
    }
    if (v.contains("schema") && v["schema"].contains("openAPIV3Schema")) {
      t.schema = v["schema"]["openAPIV3Schema"];
    }
    for (const json& c : v.value("additionalPrinterColumns", json::array())) {
      t.columns.push_back({str(c, "name"), str(c, "type"), str(c, "format"), str(c, "description"),
                           str(c, "jsonPath"), c.value("priority", 0)});
    }
    if (!v.contains("additionalPrinterColumns")) {
      t.columns.push_back({"Age", "date", "", "", ".metadata.creationTimestamp", 0});
    }
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace zkop::sandbox
