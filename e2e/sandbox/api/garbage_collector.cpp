#include "e2e/sandbox/api/garbage_collector.h"

#include <algorithm>
#include <vector>

#include "e2e/sandbox/api/deletion.h"
#include "e2e/sandbox/api/object_encoding.h"

namespace zkop::sandbox {

using nlohmann::json;

namespace {

const json& metadata_of(const json& object) {
  static const json empty = json::object();
  if (!object.is_object() || !object.contains("metadata")) return empty;
  const json& m = object.at("metadata");
  return m.is_object() ? m : empty;
}

bool deleting(const json& object) { return metadata_of(object).contains("deletionTimestamp"); }

std::vector<std::string> owner_uids(const json& object) {
  std::vector<std::string> out;
  for (const json& ref : metadata_of(object).value("ownerReferences", json::array())) {
    out.push_back(ref.value("uid", ""));
  }
  return out;
}

}  // namespace

int GarbageCollector::sweep() {
  int writes = 0;
  // Every pass that changes something makes progress towards removal; the bound only guards
  // against a bug turning into a hung server.
  for (int i = 0; i < 1000 && pass(); ++i) ++writes;
  return writes;
}

bool GarbageCollector::pass() {
  std::vector<std::pair<ObjectKey, json>> snapshot;
  for (const auto& [key, object] : ctx_.store().objects()) {
    if (deleting(object) || metadata_of(object).contains("ownerReferences")) {
      snapshot.emplace_back(key, object);
    }
  }
  for (const auto& [key, object] : snapshot) {
    if (ctx_.store().get(key) == nullptr) continue;
    if (deleting(object)) {
      if (key.resource == kNamespaceStorageKey && finish_namespace(key)) return true;
      const json& finalizers = metadata_of(object).value("finalizers", json::array());
      if (std::find(finalizers.begin(), finalizers.end(), kForegroundFinalizer) !=
              finalizers.end() &&
          finish_foreground(key, meta_string(object, "uid"))) {
        return true;
      }
      if (key.resource != kNamespaceStorageKey && ready_to_remove(object)) {
        ctx_.remove(key);
        return true;
      }
      continue;
    }
    if (collect_orphan(key)) return true;
  }
  return false;
}

bool GarbageCollector::finish_namespace(const ObjectKey& key) {
  bool changed = false;
  bool empty = true;
  std::vector<ObjectKey> content;
  for (const auto& [k, object] : ctx_.store().objects()) {
    if (!k.ns.empty() && k.ns == key.name) {
      empty = false;
      if (!deleting(object)) content.push_back(k);
    }
  }
  for (const ObjectKey& k : content) {
    const ResourceType* type = ctx_.registry().find_by_storage_key(k.resource);
    if (type == nullptr) continue;
    DeleteOptions options;
    options.grace_seconds = 0;
    if (delete_object(ctx_, *type, k, options)) changed = true;
  }
  if (changed) return true;
  if (empty && ready_to_remove(*ctx_.store().get(key))) {
    ctx_.remove(key);
    return true;
  }
  return false;
}

bool GarbageCollector::finish_foreground(const ObjectKey& key, const std::string& uid) {
  std::vector<ObjectKey> dependents;
  bool waiting = false;
  for (const auto& [k, object] : ctx_.store().objects()) {
    const auto uids = owner_uids(object);
    if (std::find(uids.begin(), uids.end(), uid) == uids.end()) continue;
    waiting = true;
    if (!deleting(object)) dependents.push_back(k);
  }
  if (!dependents.empty()) {
    // Dependents of a foreground deletion are deleted in the foreground too, so that a chain
    // of owners is taken down bottom-up.
    for (const ObjectKey& k : dependents) {
      const ResourceType* type = ctx_.registry().find_by_storage_key(k.resource);
      if (type == nullptr) continue;
      DeleteOptions options;
      options.propagation = "Foreground";
      (void)delete_object(ctx_, *type, k, options);
    }
    return true;
  }
  if (waiting) return false;
  json owner = *ctx_.store().get(key);
  json& finalizers = owner["metadata"]["finalizers"];
  finalizers.erase(std::remove(finalizers.begin(), finalizers.end(), kForegroundFinalizer),
                   finalizers.end());
  if (finalizers.empty()) owner["metadata"].erase("finalizers");
  ctx_.update(key, std::move(owner));
  return true;
}

bool GarbageCollector::collect_orphan(const ObjectKey& key) {
  const json& object = *ctx_.store().get(key);
  const auto uids = owner_uids(object);
  if (uids.empty()) return false;
  std::vector<std::string> missing;
  for (const auto& uid : uids) {
    if (!ctx_.store().find_uid(uid)) missing.push_back(uid);
  }
  if (missing.empty()) return false;
  if (missing.size() == uids.size()) {
    const ResourceType* type = ctx_.registry().find_by_storage_key(key.resource);
    if (type == nullptr) return false;
    return delete_object(ctx_, *type, key, DeleteOptions{}).has_value();
  }
  // Some owners remain: only the references to the gone ones are dropped.
  json updated = object;
  json& refs = updated["metadata"]["ownerReferences"];
  refs.erase(std::remove_if(refs.begin(), refs.end(),
                            [&](const json& r) {
                              return std::find(missing.begin(), missing.end(),
                                               r.value("uid", "")) != missing.end();
                            }),
             refs.end());
  ctx_.update(key, std::move(updated));
  return true;
}

}  // namespace zkop::sandbox
