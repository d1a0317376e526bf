#include "e2e/sandbox/api/deletion.h"

#include <algorithm>

#include "e2e/sandbox/api/object_encoding.h"

namespace zkop::sandbox {

using nlohmann::json;

Result<DeleteOptions> DeleteOptions::from_request(const ApiRequest& request) {
  DeleteOptions o;
  if (!request.body.empty()) {
    const json body = json::parse(request.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
      return std::unexpected(errors::bad_request("invalid DeleteOptions body"));
    }
    o.propagation = body.value("propagationPolicy", "");
    if (body.contains("orphanDependents") && body["orphanDependents"].is_boolean()) {
      o.propagation = body["orphanDependents"].get<bool>() ? "Orphan" : "Background";
    }
    if (body.contains("gracePeriodSeconds") && body["gracePeriodSeconds"].is_number_integer()) {
      o.grace_seconds = body["gracePeriodSeconds"].get<long long>();
    }
    const json pre = body.value("preconditions", json::object());
    if (pre.is_object()) {
      o.precondition_uid = pre.value("uid", "");
      o.precondition_resource_version = pre.value("resourceVersion", "");
    }
    const json dry = body.value("dryRun", json::array());
    o.dry_run = dry.is_array() && !dry.empty();
  }
  if (request.has("propagationPolicy")) o.propagation = request.param("propagationPolicy");
  if (request.has("gracePeriodSeconds")) {
    o.grace_seconds = std::atoll(request.param("gracePeriodSeconds").c_str());
  }
  if (request.has("dryRun")) o.dry_run = true;
  if (!o.propagation.empty() && o.propagation != "Orphan" && o.propagation != "Background" &&
      o.propagation != "Foreground") {
    return std::unexpected(errors::bad_request(
        "DeleteOptions.propagationPolicy: Unsupported value: \"" + o.propagation + "\""));
  }
  return o;
}

namespace {

bool has_finalizer(const json& object, std::string_view name) {
  const json f = object.value("metadata", json::object()).value("finalizers", json::array());
  return std::find(f.begin(), f.end(), name) != f.end();
}

bool is_namespace(const ResourceType& type) {
  return type.group.empty() && type.plural == "namespaces";
}

void orphan_dependents(ApiContext& ctx, const std::string& uid) {
  std::vector<ObjectKey> dependents;
  for (const auto& [key, object] : ctx.store().objects()) {
    for (const json& ref :
         object.value("metadata", json::object()).value("ownerReferences", json::array())) {
      if (ref.value("uid", "") == uid) dependents.push_back(key);
    }
  }
  for (const auto& key : dependents) {
    json object = *ctx.store().get(key);
    json& refs = object["metadata"]["ownerReferences"];
    refs.erase(std::remove_if(refs.begin(), refs.end(),
                              [&](const json& r) { return r.value("uid", "") == uid; }),
               refs.end());
    if (refs.empty()) object["metadata"].erase("ownerReferences");
    ctx.update(key, std::move(object));
  }
}

}  // namespace

bool ready_to_remove(const json& object) {
  const json& m = object.value("metadata", json::object());
  if (!m.contains("deletionTimestamp")) return false;
  if (!m.value("finalizers", json::array()).empty()) return false;
  return m.value("deletionGracePeriodSeconds", 0LL) <= 0;
}

Result<DeleteOutcome> delete_object(ApiContext& ctx, const ResourceType& type, const ObjectKey& key,
                                    const DeleteOptions& options) {
  const json* found = ctx.store().get(key);
  if (found == nullptr) return std::unexpected(errors::not_found(type.group_resource(), key.name));
  json object = *found;
  const std::string uid = meta_string(object, "uid");
  const std::string rv = meta_string(object, "resourceVersion");
  if (!options.precondition_uid.empty() && options.precondition_uid != uid) {
    return std::unexpected(
        errors::conflict(type.group_resource(), key.name,
                         "Precondition failed: UID in precondition: " + options.precondition_uid +
                             ", UID in object meta: " + uid));
  }
  if (!options.precondition_resource_version.empty() &&
      options.precondition_resource_version != rv) {
    return std::unexpected(errors::conflict(
        type.group_resource(), key.name,
        "Precondition failed: ResourceVersion in precondition: " +
            options.precondition_resource_version + ", ResourceVersion in object meta: " + rv));
  }
  if (options.dry_run) return DeleteOutcome{object, false};

  if (options.propagation == "Orphan") orphan_dependents(ctx, uid);

  json& m = meta(object);
  bool changed = false;
  if (options.propagation == "Foreground" && !has_finalizer(object, kForegroundFinalizer)) {
    m["finalizers"].push_back(kForegroundFinalizer);
    changed = true;
  }
  // A pod bound to a node is stopped by its kubelet within the grace period; an unbound pod has
  // nothing to stop and goes at once, as on a real server.
  long long grace = options.grace_seconds.value_or(0);
  const bool pod = type.group.empty() && type.plural == "pods";
  if (pod && !options.grace_seconds) {
    grace = object.value("spec", json::object()).value("terminationGracePeriodSeconds", 30LL);
  }
  const std::string phase = object.value("status", json::object()).value("phase", "");
  const bool graceful = pod && grace > 0 &&
                        !object.value("spec", json::object()).value("nodeName", "").empty() &&
                        phase != "Succeeded" && phase != "Failed";
  const bool held = !m.value("finalizers", json::array()).empty() || graceful || is_namespace(type);

  if (m.contains("deletionTimestamp")) {
    // Already being deleted: a shorter grace period may end the wait.
    if (pod && options.grace_seconds &&
        *options.grace_seconds < m.value("deletionGracePeriodSeconds", 0LL)) {
      m["deletionGracePeriodSeconds"] = *options.grace_seconds;
      changed = true;
    }
    if (ready_to_remove(object)) return DeleteOutcome{ctx.remove(key), true};
    if (changed) object = ctx.update(key, std::move(object));
    return DeleteOutcome{object, false};
  }
  if (!held) return DeleteOutcome{ctx.remove(key), true};

  const auto when = ctx.clock().now() + std::chrono::seconds(graceful ? grace : 0);
  m["deletionTimestamp"] = format_rfc3339(when);
  m["deletionGracePeriodSeconds"] = graceful ? grace : 0;
  if (is_namespace(type)) object["status"]["phase"] = "Terminating";
  return DeleteOutcome{ctx.update(key, std::move(object)), false};
}

}  // namespace zkop::sandbox
