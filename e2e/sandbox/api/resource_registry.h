#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "e2e/sandbox/api/resource_type.h"

namespace zkop::sandbox {

struct GroupVersion {
  std::string group;
  std::string version;
  std::string str() const { return group.empty() ? version : group + "/" + version; }
};

// What the server serves: the built-in kinds plus one entry per served version of every
// established CRD.
class ResourceRegistry {
 public:
  ResourceRegistry();

  const ResourceType* find(std::string_view group, std::string_view version,
                           std::string_view plural) const;
  // Any served version of the resource (for storage-wide work such as garbage collection).
  const ResourceType* find_by_storage_key(std::string_view storage_key) const;
  std::vector<const ResourceType*> in_group_version(std::string_view group,
                                                    std::string_view version) const;
  std::vector<const ResourceType*> all() const;
  // Groups in discovery order, each with its served versions, preferred first.
  std::vector<std::pair<std::string, std::vector<std::string>>> groups() const;

  // Replaces what the CRD named `crd_name` serves (empty list: serves nothing).
  void set_custom(const std::string& crd_name, std::vector<ResourceType> types);

 private:
  std::vector<ResourceType> builtin_;
  std::map<std::string, std::vector<ResourceType>> custom_;
};

// The resource types a CRD object serves, one per served version.
std::vector<ResourceType> resource_types_from_crd(const nlohmann::json& crd);

}  // namespace zkop::sandbox
