#include "e2e/sandbox/api/discovery.h"

namespace zkop::sandbox {

using nlohmann::json;

json version_document() {
  return {{"major", "1"},
          {"minor", "32"},
          {"gitVersion", "v1.32.0-zkop-sandbox"},
          {"gitCommit", "0000000000000000000000000000000000000000"},
          {"gitTreeState", "clean"},
          {"buildDate", "2026-01-01T00:00:00Z"},
          {"goVersion", "go1.23.0"},
          {"compiler", "gc"},
          {"platform", "linux/amd64"}};
}

json core_versions_document(std::string_view server_address) {
  return {{"kind", "APIVersions"},
          {"versions", {"v1"}},
          {"serverAddressByClientCIDRs",
           {{{"clientCIDR", "0.0.0.0/0"}, {"serverAddress", server_address}}}}};
}

namespace {
json group_json(const std::string& name, const std::vector<std::string>& versions) {
  json list = json::array();
  for (const auto& v : versions) list.push_back({{"groupVersion", name + "/" + v}, {"version", v}});
  return {{"name", name},
          {"versions", list},
          {"preferredVersion",
           {{"groupVersion", name + "/" + versions.front()}, {"version", versions.front()}}}};
}
}  // namespace

json group_list_document(const ResourceRegistry& registry) {
  json groups = json::array();
  for (const auto& [name, versions] : registry.groups()) {
    if (name.empty()) continue;
    groups.push_back(group_json(name, versions));
  }
  return {{"kind", "APIGroupList"}, {"apiVersion", "v1"}, {"groups", groups}};
}

std::optional<json> group_document(const ResourceRegistry& registry, std::string_view group) {
  for (const auto& [name, versions] : registry.groups()) {
    if (!name.empty() && name == group) {
      json g = group_json(name, versions);
      g["kind"] = "APIGroup";
      g["apiVersion"] = "v1";
      return g;
    }
  }
  return std::nullopt;
}

std::optional<json> resource_list_document(const ResourceRegistry& registry, std::string_view group,
                                           std::string_view version) {
  const auto types = registry.in_group_version(group, version);
  if (types.empty()) return std::nullopt;
  json resources = json::array();
  for (const ResourceType* t : types) {
    json r = {
        {"name", t->plural},
        {"singularName", t->singular},
        {"namespaced", t->namespaced},
        {"kind", t->kind},
        {"verbs",
         {"create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"}}};
    if (!t->short_names.empty()) r["shortNames"] = t->short_names;
    if (!t->categories.empty()) r["categories"] = t->categories;
    resources.push_back(std::move(r));
    if (t->status_subresource) {
      resources.push_back({{"name", t->plural + "/status"},
                           {"singularName", ""},
                           {"namespaced", t->namespaced},
                           {"kind", t->kind},
                           {"verbs", {"get", "patch", "update"}}});
    }
    if (t->scale) {
      resources.push_back({{"name", t->plural + "/scale"},
                           {"singularName", ""},
                           {"namespaced", t->namespaced},
                           {"group", "autoscaling"},
                           {"version", "v1"},
                           {"kind", "Scale"},
                           {"verbs", {"get", "patch", "update"}}});
    }
  }
  const std::string gv =
      group.empty() ? std::string(version) : std::string(group) + "/" + std::string(version);
  return json{{"kind", "APIResourceList"},
              {"apiVersion", "v1"},
              {"groupVersion", gv},
              {"resources", resources}};
}

}  // namespace zkop::sandbox
