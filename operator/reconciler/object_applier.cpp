#include "operator/reconciler/object_applier.h"

#include "operator/runtime/resource.h"

namespace zkop::reconciler {
namespace {

using runtime::ReconcileError;

const runtime::ResourceDescriptor* descriptorOf(const std::string& kind) {
  namespace res = runtime::resources;
  for (const auto* d : {&res::kConfigMap, &res::kService, &res::kStatefulSet,
                        &res::kPodDisruptionBudget, &res::kSecret}) {
    if (d->kind == kind) return d;
  }
  return nullptr;
}

// The part of `wanted` zkop owns, minus what the API refuses to change after creation.
Json patchFor(const Json& wanted) {
  Json patch = Json::object();
  const auto& metadata = wanted["metadata"];
  for (const char* key : {"labels", "annotations"}) {
    if (metadata.contains(key)) patch["metadata"][key] = metadata[key];
  }
  for (const char* key : {"data", "stringData", "spec"}) {
    if (wanted.contains(key)) patch[key] = wanted[key];
  }
  if (wanted.value("kind", "") == "StatefulSet") {
    for (const char* immutable :
         {"volumeClaimTemplates", "selector", "serviceName", "podManagementPolicy"}) {
      patch["spec"].erase(immutable);
    }
  }
  if (wanted.value("kind", "") == "Service") {
    patch["spec"].erase("clusterIP");
  }
  return patch;
}

}  // namespace

bool containsFields(const Json& actual, const Json& wanted) {
  if (wanted.is_object()) {
    if (!actual.is_object()) return false;
    for (const auto& [key, value] : wanted.items()) {
      auto it = actual.find(key);
      if (it == actual.end() || !containsFields(*it, value)) return false;
    }
    return true;
  }
  if (wanted.is_array()) {
    if (!actual.is_array() || actual.size() != wanted.size()) return false;
    for (std::size_t i = 0; i < wanted.size(); ++i) {
      if (!containsFields(actual[i], wanted[i])) return false;
    }
    return true;
  }
  // Numbers may come back as another JSON number type (1 vs 1.0): compare as numbers.
  if (wanted.is_number() && actual.is_number()) return wanted.get<double>() == actual.get<double>();
  return actual == wanted;
}

std::expected<ApplyResult, ReconcileError> applyObject(runtime::Client& client,
                                                       const Json& wanted) {
  const auto kind = wanted.value("kind", "");
  const auto* resource = descriptorOf(kind);
  if (resource == nullptr)
    return std::unexpected(ReconcileError{"apply", "cannot apply " + kind, {}});
  const auto ns = wanted["metadata"].value("namespace", "");
  const auto name = wanted["metadata"].value("name", "");
  const auto what = kind + " " + name;

  auto existing = client.get(*resource, ns, name);
  if (!existing) {
    if (existing.error().category != runtime::ErrorCategory::kNotFound) {
      return std::unexpected(ReconcileError::from("read " + what, existing.error()));
    }
    auto created = client.create(*resource, ns, wanted);
    if (!created) return std::unexpected(ReconcileError::from("create " + what, created.error()));
    return ApplyResult::Created;
  }
  const auto patch = patchFor(wanted);
  if (containsFields(*existing, patch)) return ApplyResult::Unchanged;
  auto patched = client.patch(*resource, ns, name, patch, runtime::PatchType::kMerge);
  if (!patched) return std::unexpected(ReconcileError::from("update " + what, patched.error()));
  return ApplyResult::Patched;
}

}  // namespace zkop::reconciler
