#include "operator/runtime/finalizer.h"

#include <algorithm>

namespace zkop::runtime {

namespace {

std::vector<std::string> finalizersOf(const Json& object) {
  std::vector<std::string> out;
  if (!object.is_object() || !object.contains("metadata")) return out;
  const auto& meta = object["metadata"];
  if (!meta.is_object() || !meta.contains("finalizers") || !meta["finalizers"].is_array()) {
    return out;
  }
  for (const auto& f : meta["finalizers"]) {
    if (f.is_string()) out.push_back(f.get<std::string>());
  }
  return out;
}

bool beingDeleted(const Json& object) {
  if (!object.is_object() || !object.contains("metadata")) return false;
  const auto& meta = object["metadata"];
  return meta.is_object() && meta.contains("deletionTimestamp") &&
         !meta["deletionTimestamp"].is_null();
}

Result<Json> writeFinalizers(Client& client, const ResourceDescriptor& res, const Json& object,
                             const std::vector<std::string>& finalizers) {
  const auto& meta = object["metadata"];
  Json patch = {
      {"metadata",
       {{"finalizers", finalizers}, {"resourceVersion", meta.value("resourceVersion", "")}}}};
  return client.patch(res, meta.value("namespace", ""), meta.value("name", ""), patch);
}

}  // namespace

FinalizerState finalizerState(const Json& object, std::string_view finalizer) {
  const auto list = finalizersOf(object);
  const bool present = std::find(list.begin(), list.end(), finalizer) != list.end();
  if (beingDeleted(object)) return present ? FinalizerState::kCleanup : FinalizerState::kReleased;
  return present ? FinalizerState::kActive : FinalizerState::kMissing;
}

Result<Json> addFinalizer(Client& client, const ResourceDescriptor& res, const Json& object,
                          std::string_view finalizer) {
  auto list = finalizersOf(object);
  if (std::find(list.begin(), list.end(), finalizer) != list.end()) return object;
  list.emplace_back(finalizer);
  return writeFinalizers(client, res, object, list);
}

Result<Json> removeFinalizer(Client& client, const ResourceDescriptor& res, const Json& object,
                             std::string_view finalizer) {
  auto list = finalizersOf(object);
  auto it = std::find(list.begin(), list.end(), finalizer);
  if (it == list.end()) return object;
  list.erase(it);
  return writeFinalizers(client, res, object, list);
}

}  // namespace zkop::runtime
