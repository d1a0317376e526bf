#include "e2e/sandbox/api/strategic_merge.h"

#include <algorithm>
#include <optional>
#include <string>

namespace zkop::sandbox {

using nlohmann::json;

namespace {

constexpr std::string_view kSetOrder = "$setElementOrder/";
constexpr std::string_view kDeleteFromPrimitive = "$deleteFromPrimitiveList/";

enum class ListStrategy { Replace, MergeByKey, MergePrimitives };

struct ListRule {
  ListStrategy strategy = ListStrategy::Replace;
  std::string key;
};

// The merge key of a list field, decided by its name and, where one name means two things
// (`ports` of a container and of a Service), by what its elements carry.
ListRule rule_for(std::string_view field, const json& original, const json& patch) {
  const auto elements_have = [&](const char* k) {
    for (const json* list : {&original, &patch}) {
      if (!list->is_array()) continue;
      for (const json& e : *list) {
        if (e.is_object() && e.contains(k)) return true;
      }
    }
    return false;
  };
  if (field == "containers" || field == "initContainers" || field == "ephemeralContainers" ||
      field == "env" || field == "volumes" || field == "imagePullSecrets") {
    return {ListStrategy::MergeByKey, "name"};
  }
  if (field == "volumeMounts") return {ListStrategy::MergeByKey, "mountPath"};
  if (field == "volumeDevices") return {ListStrategy::MergeByKey, "devicePath"};
  if (field == "ports") {
    return {ListStrategy::MergeByKey, elements_have("containerPort") ? "containerPort" : "port"};
  }
  if (field == "ownerReferences") return {ListStrategy::MergeByKey, "uid"};
  if (field == "conditions") return {ListStrategy::MergeByKey, "type"};
  if (field == "hostAliases") return {ListStrategy::MergeByKey, "ip"};
  if (field == "topologySpreadConstraints") return {ListStrategy::MergeByKey, "topologyKey"};
  if (field == "finalizers") return {ListStrategy::MergePrimitives, ""};
  return {};
}

Result<json> merge_map(const json& original, const json& patch);

// The `$patch` directive of a patch element ("" when none).
std::string directive_of(const json& element) {
  if (!element.is_object() || !element.contains("$patch")) return {};
  const json& directive = element.at("$patch");
  return directive.is_string() ? directive.get_ref<const std::string&>() : std::string();
}

std::optional<std::size_t> find_by_key(const json& list, const std::string& key,
                                       const json& value) {
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (list[i].is_object() && list[i].contains(key) && list[i][key] == value) return i;
  }
  return std::nullopt;
}

Result<json> merge_list(std::string_view field, const json& original, const json& patch,
                        const json* delete_primitives, const json* order) {
  if (!patch.is_array()) return patch;
  const ListRule rule = rule_for(field, original, patch);
  json result = original.is_array() ? original : json::array();
  if (rule.strategy == ListStrategy::Replace) {
    result = json::array();
    for (const json& e : patch) {
      if (e.is_object() && e.contains("$patch")) continue;
      result.push_back(e);
    }
    return result;
  }
  if (rule.strategy == ListStrategy::MergePrimitives) {
    for (const json& e : patch) {
      if (std::find(result.begin(), result.end(), e) == result.end()) result.push_back(e);
    }
  } else {
    for (const json& e : patch) {
      if (e.is_object() && directive_of(e) == "replace") {
        // The whole list is replaced by the other elements of the patch.
        json replaced = json::array();
        for (const json& x : patch) {
          if (!(x.is_object() && x.contains("$patch"))) replaced.push_back(x);
        }
        return replaced;
      }
      if (!e.is_object() || !e.contains(rule.key)) {
        return std::unexpected(errors::bad_request(
            "map: " + e.dump() + " does not contain declared merge key: " + rule.key));
      }
      const auto at = find_by_key(result, rule.key, e[rule.key]);
      if (directive_of(e) == "delete") {
        if (at) result.erase(result.begin() + static_cast<std::ptrdiff_t>(*at));
        continue;
      }
      if (at) {
        auto merged = merge_map(result[*at], e);
        if (!merged) return merged;
        result[*at] = std::move(*merged);
      } else {
        auto added = merge_map(json::object(), e);
        if (!added) return added;
        result.push_back(std::move(*added));
      }
    }
  }
  if (delete_primitives != nullptr && delete_primitives->is_array()) {
    for (const json& gone : *delete_primitives) {
      result.erase(std::remove(result.begin(), result.end(), gone), result.end());
    }
  }
  if (order != nullptr && order->is_array() && rule.strategy == ListStrategy::MergeByKey) {
    // Elements named in $setElementOrder come first, in that order; the rest keep theirs.
    json ordered = json::array();
    json rest = json::array();
    for (const json& o : *order) {
      if (!o.is_object() || !o.contains(rule.key)) continue;
      if (const auto at = find_by_key(result, rule.key, o[rule.key]))
        ordered.push_back(result[*at]);
    }
    for (const json& e : result) {
      if (!find_by_key(ordered, rule.key, e[rule.key])) rest.push_back(e);
    }
    for (json& e : rest) ordered.push_back(std::move(e));
    result = std::move(ordered);
  }
  return result;
}

Result<json> merge_map(const json& original, const json& patch) {
  if (!patch.is_object()) return patch;
  const std::string directive = directive_of(patch);
  if (directive == "delete") return json(nullptr);
  json result = original.is_object() && directive != "replace" ? original : json::object();
  for (const auto& [key, value] : patch.items()) {
    if (key == "$patch" || key == "$retainKeys" || key.starts_with(kSetOrder) ||
        key.starts_with(kDeleteFromPrimitive)) {
      continue;
    }
    if (value.is_null()) {
      result.erase(key);
      continue;
    }
    const json& current = result.contains(key) ? result[key] : json();
    if (value.is_object()) {
      if (directive_of(value) == "delete") {
        result.erase(key);
        continue;
      }
      auto merged = merge_map(current, value);
      if (!merged) return merged;
      result[key] = std::move(*merged);
    } else if (value.is_array()) {
      const std::string del_key = std::string(kDeleteFromPrimitive) + key;
      const std::string order_key = std::string(kSetOrder) + key;
      auto merged =
          merge_list(key, current, value, patch.contains(del_key) ? &patch[del_key] : nullptr,
                     patch.contains(order_key) ? &patch[order_key] : nullptr);
      if (!merged) return merged;
      result[key] = std::move(*merged);
    } else {
      result[key] = value;
    }
  }
  // Directives that name a list the patch does not otherwise touch.
  for (const auto& [key, value] : patch.items()) {
    if (key.starts_with(kDeleteFromPrimitive)) {
      const std::string field = key.substr(kDeleteFromPrimitive.size());
      if (!patch.contains(field) && result.contains(field) && result[field].is_array()) {
        for (const json& gone : value) {
          auto& list = result[field];
          list.erase(std::remove(list.begin(), list.end(), gone), list.end());
        }
      }
    }
  }
  if (patch.contains("$retainKeys") && patch["$retainKeys"].is_array()) {
    const json& keep = patch["$retainKeys"];
    json retained = json::object();
    for (const auto& [key, value] : result.items()) {
      if (std::find(keep.begin(), keep.end(), key) != keep.end()) retained[key] = value;
    }
    result = std::move(retained);
  }
  return result;
}

}  // namespace

Result<json> strategic_merge(const json& original, const json& patch) {
  if (!patch.is_object()) {
    return std::unexpected(errors::bad_request("strategic merge patch must be a JSON object"));
  }
  auto merged = merge_map(original, patch);
  if (merged && merged->is_null()) return json::object();
  return merged;
}

}  // namespace zkop::sandbox
