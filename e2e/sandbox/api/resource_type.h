#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "e2e/sandbox/api/api_error.h"

namespace zkop::sandbox {

// An additionalPrinterColumn of a CRD, or a default column of a built-in kind.
struct PrinterColumn {
  std::string name;
  std::string type;  // string, integer, number, boolean, date
  std::string format;
  std::string description;
  std::string json_path;
  int priority = 0;
};

// Where the /scale subresource reads and writes replicas (CRD `subresources.scale`).
struct ScalePaths {
  std::string spec_replicas = ".spec.replicas";
  std::string status_replicas = ".status.replicas";
  std::string label_selector;  // empty: derive from .spec.selector (StatefulSet)
};

// One served resource at one group/version: everything discovery, OpenAPI, storage and the
// verbs need to know about it. Built-in kinds and custom resources share this description.
struct ResourceType {
  std::string group;
  std::string version;
  std::string plural;
  std::string singular;
  std::string kind;
  std::string list_kind;
  bool namespaced = true;
  std::vector<std::string> short_names;
  std::vector<std::string> categories;
  bool status_subresource = false;
  std::optional<ScalePaths> scale;
  // Served from a CRD: JSON merge patch only, schema defaulting/pruning, no strategic merge.
  bool custom = false;
  // Some kinds must be updated with a resourceVersion (custom resources, leases are not).
  bool allow_unconditional_update = true;
  // openAPIV3Schema of the CRD version; null for built-in kinds.
  nlohmann::json schema = nullptr;
  std::vector<PrinterColumn> columns;

  GroupResource group_resource() const { return {group, plural}; }
  std::string api_version() const { return group.empty() ? version : group + "/" + version; }
  // Storage is shared by all versions of a resource (no conversion, as with a CRD whose
  // conversion strategy is None).
  std::string storage_key() const { return group_resource().str(); }
};

}  // namespace zkop::sandbox
