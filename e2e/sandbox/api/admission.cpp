#include "e2e/sandbox/api/admission.h"

#include <optional>

#include "e2e/sandbox/api/crd_validation.h"
#include "e2e/sandbox/api/object_encoding.h"
#include "e2e/sandbox/api/structural_schema.h"

namespace zkop::sandbox {

using nlohmann::json;

FieldValidation parse_field_validation(std::string_view text) {
  if (text == "Strict") return FieldValidation::Strict;
  if (text == "Ignore") return FieldValidation::Ignore;
  return FieldValidation::Warn;
}

namespace {

std::string base64_encode(std::string_view in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) |
                       (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    for (int shift : {18, 12, 6, 0}) out += kAlphabet[(v >> shift) & 63];
  }
  if (i < in.size()) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) v |= static_cast<unsigned char>(in[i + 1]) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < in.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

// Everything but metadata (and status, when status is its own subresource): a change here is a
// change of the desired state and bumps metadata.generation.
json spec_part(const ResourceType& type, const json& object) {
  json copy = object;
  copy.erase("metadata");
  copy.erase("apiVersion");
  copy.erase("kind");
  if (type.status_subresource) copy.erase("status");
  return copy;
}

Result<void> apply_schema(const ResourceType& type, json& object, FieldValidation validation,
                          std::vector<std::string>& warnings) {
  if (!type.custom || !type.schema.is_object()) return {};
  const std::vector<std::string> unknown = prune_unknown_fields(object, type.schema);
  if (!unknown.empty() && validation == FieldValidation::Strict) {
    std::string list;
    for (const auto& u : unknown)
      list += (list.empty() ? "" : ", ") + ("unknown field \"" + u + "\"");
    return std::unexpected(errors::bad_request(type.kind + " in version \"" + type.version +
                                               "\" cannot be handled as a " + type.kind +
                                               ": strict decoding error: " + list));
  }
  if (validation == FieldValidation::Warn) {
    for (const auto& u : unknown) warnings.push_back("unknown field \"" + u + "\"");
  }
  apply_defaults(object, type.schema);
  const std::vector<FieldCause> causes = validate_against_schema(object, type.schema);
  if (!causes.empty()) {
    return std::unexpected(
        errors::invalid(type.kind, type.group, meta_string(object, "name"), causes));
  }
  return {};
}

// The CRD is accepted and established at once (name conflicts are not checked).
void establish_crd(ApiContext& ctx, json& object) {
  const json& spec = object.value("spec", json::object());
  json stored = json::array();
  for (const json& v : spec.value("versions", json::array())) {
    if (v.value("storage", false)) stored.push_back(v.value("name", ""));
  }
  const std::string now = ctx.now_rfc3339();
  object["status"] = {{"acceptedNames", spec.value("names", json::object())},
                      {"storedVersions", stored},
                      {"conditions",
                       {{{"type", "NamesAccepted"},
                         {"status", "True"},
                         {"reason", "NoConflicts"},
                         {"message", "no conflicts found"},
                         {"lastTransitionTime", now}},
                        {{"type", "Established"},
                         {"status", "True"},
                         {"reason", "InitialNamesAccepted"},
                         {"message", "the initial names have been accepted"},
                         {"lastTransitionTime", now}}}}};
}

// Secrets store stringData as base64 data, as a real server converts it on write.
void fold_string_data(json& object) {
  if (!object.value("type", json()).is_string()) object["type"] = "Opaque";
  if (!object.contains("stringData") || !object["stringData"].is_object()) return;
  for (const auto& [key, value] : object["stringData"].items()) {
    if (value.is_string()) object["data"][key] = base64_encode(value.get<std::string>());
  }
  object.erase("stringData");
}

void default_kind_specific(ApiContext& ctx, const ResourceType& type, json& object) {
  if (type.group.empty() && type.plural == "secrets") fold_string_data(object);
  if (type.group.empty() && type.plural == "namespaces") {
    object["spec"]["finalizers"] = json::array({"kubernetes"});
    object["status"] = {{"phase", "Active"}};
    meta(object)["labels"]["kubernetes.io/metadata.name"] = meta_string(object, "name");
  } else if (type.group.empty() && type.plural == "services") {
    json& spec = object["spec"];
    if (!spec.contains("type")) spec["type"] = "ClusterIP";
    if (spec["type"] != "ExternalName" && !spec.contains("clusterIP")) {
      spec["clusterIP"] = ctx.next_cluster_ip();
    }
    if (spec.contains("clusterIP")) spec["clusterIPs"] = json::array({spec["clusterIP"]});
    if (!spec.contains("sessionAffinity")) spec["sessionAffinity"] = "None";
    if (spec.contains("ports") && spec["ports"].is_array()) {
      for (json& port : spec["ports"]) {
        if (!port.contains("protocol")) port["protocol"] = "TCP";
        if (!port.contains("targetPort") && port.contains("port"))
          port["targetPort"] = port["port"];
      }
    }
    object["status"] = {{"loadBalancer", json::object()}};
  } else if (type.group.empty() && type.plural == "pods") {
    json& spec = object["spec"];
    if (!spec.contains("restartPolicy")) spec["restartPolicy"] = "Always";
    if (!spec.contains("dnsPolicy")) spec["dnsPolicy"] = "ClusterFirst";
    if (!spec.contains("schedulerName")) spec["schedulerName"] = "default-scheduler";
    if (!spec.contains("terminationGracePeriodSeconds")) spec["terminationGracePeriodSeconds"] = 30;
    for (const char* list : {"containers", "initContainers"}) {
      if (!spec.contains(list) || !spec[list].is_array()) continue;
      for (json& c : spec[list]) {
        if (!c.contains("imagePullPolicy")) c["imagePullPolicy"] = "IfNotPresent";
        if (!c.contains("ports") || !c["ports"].is_array()) continue;
        for (json& port : c["ports"]) {
          if (!port.contains("protocol")) port["protocol"] = "TCP";
        }
      }
    }
    object["status"] = {{"phase", "Pending"}};
  } else if (type.group.empty() && type.plural == "persistentvolumeclaims") {
    object["status"] = {{"phase", "Pending"}};
  } else if (type.group == "apiextensions.k8s.io") {
    establish_crd(ctx, object);
  } else if (type.group == "apps" && type.plural == "statefulsets") {
    json& spec = object["spec"];
    if (!spec.contains("replicas")) spec["replicas"] = 1;
    if (!spec.contains("podManagementPolicy")) spec["podManagementPolicy"] = "OrderedReady";
    if (!spec.contains("updateStrategy")) {
      spec["updateStrategy"] = {{"type", "RollingUpdate"}, {"rollingUpdate", {{"partition", 0}}}};
    }
    if (!spec.contains("revisionHistoryLimit")) spec["revisionHistoryLimit"] = 10;
    object["status"] = {{"replicas", 0}, {"availableReplicas", 0}};
  }
}

// Names are DNS subdomains (namespaces and services: DNS labels), as a real server validates
// them; RBAC names may hold any path segment (e.g. "system:controller").
std::optional<FieldCause> invalid_name(const ResourceType& type, const std::string& name) {
  if (type.group == "rbac.authorization.k8s.io") return std::nullopt;
  const bool label =
      type.group.empty() && (type.plural == "namespaces" || type.plural == "services");
  const std::size_t max = label ? 63 : 253;
  const auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  bool ok = !name.empty() && name.size() <= max && alnum(name.front()) && alnum(name.back());
  for (char c : name) ok = ok && (alnum(c) || c == '-' || (c == '.' && !label));
  if (ok) return std::nullopt;
  const std::string what =
      label ? "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or "
              "'-', and must start and end with an alphanumeric character"
            : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
              "'-' or '.', and must start and end with an alphanumeric character";
  return FieldCause{"FieldValueInvalid", "metadata.name",
                    "Invalid value: \"" + name + "\": " + what};
}

}  // namespace

Result<void> admit_create(ApiContext& ctx, const ResourceType& type, json& object,
                          FieldValidation validation, std::vector<std::string>& warnings) {
  json& m = meta(object);
  if (meta_string(object, "name").empty()) {
    const std::string prefix = meta_string(object, "generateName");
    if (prefix.empty()) {
      return std::unexpected(
          errors::invalid(type.kind, type.group, "",
                          {{"FieldValueRequired", "metadata.name",
                            "Required value: name or generateName is required"}}));
    }
    m["name"] = prefix + ctx.random_suffix();
  }
  if (auto bad = invalid_name(type, meta_string(object, "name"))) {
    return std::unexpected(
        errors::invalid(type.kind, type.group, meta_string(object, "name"), {*bad}));
  }
  if (type.group == "apiextensions.k8s.io") {
    if (auto causes = validate_crd(object); !causes.empty()) {
      return std::unexpected(
          errors::invalid(type.kind, type.group, meta_string(object, "name"), causes));
    }
  }
  m["uid"] = ctx.new_uid();
  m["creationTimestamp"] = ctx.now_rfc3339();
  m["generation"] = 1;
  m.erase("deletionTimestamp");
  m.erase("deletionGracePeriodSeconds");
  m.erase("resourceVersion");
  m.erase("managedFields");
  m.erase("selfLink");
  if (type.status_subresource) object.erase("status");
  default_kind_specific(ctx, type, object);
  return apply_schema(type, object, validation, warnings);
}

Result<void> admit_update(ApiContext& ctx, const ResourceType& type, const json& old, json& object,
                          std::string_view subresource, FieldValidation validation,
                          std::vector<std::string>& warnings) {
  if (subresource == "status") {
    // Only status changes through /status; the rest is kept as stored.
    json updated = old;
    if (object.contains("status")) {
      updated["status"] = object["status"];
    } else {
      updated.erase("status");
    }
    object = std::move(updated);
  } else if (type.status_subresource) {
    // …and the main resource ignores status changes.
    if (old.contains("status")) {
      object["status"] = old["status"];
    } else {
      object.erase("status");
    }
  }
  json& m = meta(object);
  const json& om = old.at("metadata");
  for (const char* field : {"uid", "creationTimestamp", "deletionTimestamp",
                            "deletionGracePeriodSeconds", "name", "namespace", "generation"}) {
    if (om.contains(field)) {
      m[field] = om[field];
    } else {
      m.erase(field);
    }
  }
  m.erase("managedFields");
  if (type.group.empty() && type.plural == "namespaces") {
    object["spec"] = old.value("spec", json::object());
  }
  if (type.group == "apiextensions.k8s.io" && subresource.empty()) {
    if (auto causes = validate_crd(object); !causes.empty()) {
      return std::unexpected(
          errors::invalid(type.kind, type.group, meta_string(object, "name"), causes));
    }
    establish_crd(ctx, object);
  }
  if (type.group.empty() && type.plural == "secrets") fold_string_data(object);
  if (auto ok = apply_schema(type, object, validation, warnings); !ok) return ok;
  if (spec_part(type, object) != spec_part(type, old)) {
    m["generation"] = om.value("generation", 1) + 1;
  }
  return {};
}

}  // namespace zkop::sandbox
