#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "e2e/sandbox/api/resource_registry.h"

namespace zkop::sandbox {

// A parsed resource URL: /api/v1/namespaces/NS/pods/NAME/status,
// /apis/GROUP/VERSION/RESOURCE/NAME/scale and the legacy /…/watch/… form.
struct ResourcePath {
  std::string group;
  std::string version;
  std::string ns;
  std::string resource;
  std::string name;
  std::string subresource;
  bool legacy_watch = false;
};

// nullopt when `path` is not a resource URL of a served group/version.
std::optional<ResourcePath> parse_resource_path(std::string_view path,
                                                const ResourceRegistry& registry);

}  // namespace zkop::sandbox
