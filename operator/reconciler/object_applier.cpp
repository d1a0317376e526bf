#include "operator/reconciler/object_applier.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <string>

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

namespace {

// A Kubernetes quantity ("500m", "1Gi", "0.5", "1e3") as a number; nothing if it is not one.
std::optional<long double> quantityValue(const std::string& text) {
  static const std::map<std::string, long double> kSuffixes = {{"", 1.0L},
                                                               {"m", 1e-3L},
                                                               {"k", 1e3L},
                                                               {"M", 1e6L},
                                                               {"G", 1e9L},
                                                               {"T", 1e12L},
                                                               {"P", 1e15L},
                                                               {"E", 1e18L},
                                                               {"Ki", 1024.0L},
                                                               {"Mi", 1048576.0L},
                                                               {"Gi", 1073741824.0L},
                                                               {"Ti", 1099511627776.0L},
                                                               {"Pi", 1125899906842624.0L},
                                                               {"Ei", 1152921504606846976.0L}};
  std::size_t end = 0;
  long double number = 0;
  try {
    number = std::stold(text, &end);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  auto suffix = kSuffixes.find(text.substr(end));
  if (suffix == kSuffixes.end()) return std::nullopt;
  return number * suffix->second;
}

// `quantities`: inside resources.requests/limits, where the API server stores quantities in
// canonical form ("1024Mi" comes back as "1Gi", "0.5" as "500m").
bool contains(const Json& actual, const Json& wanted, bool quantities) {
  if (wanted.is_object()) {
    if (!actual.is_object()) return false;
    for (const auto& [key, value] : wanted.items()) {
      auto it = actual.find(key);
      const bool inQuantities = quantities || key == "requests" || key == "limits";
      if (it == actual.end() || !contains(*it, value, inQuantities)) return false;
    }
    return true;
  }
  if (wanted.is_array()) {
    if (!actual.is_array() || actual.size() != wanted.size()) return false;
    for (std::size_t i = 0; i < wanted.size(); ++i) {
      if (!contains(actual[i], wanted[i], false)) return false;
    }
    return true;
  }
  // Numbers may come back as another JSON number type (1 vs 1.0): compare as numbers.
  if (wanted.is_number() && actual.is_number()) return wanted.get<double>() == actual.get<double>();
  if (quantities && wanted.is_string() && actual.is_string() && wanted != actual) {
    auto a = quantityValue(actual.get<std::string>());
    auto w = quantityValue(wanted.get<std::string>());
    // Decimal suffixes are not exact in binary floating point ("500m" vs "0.5").
    return a && w && std::fabs(*a - *w) <= 1e-9L * std::max(std::fabs(*a), std::fabs(*w));
  }
  return actual == wanted;
}

}  // namespace

bool containsFields(const Json& actual, const Json& wanted) {
  return contains(actual, wanted, false);
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
