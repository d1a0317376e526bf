#include "e2e/sandbox/api/resource_path.h"

#include <vector>

namespace zkop::sandbox {

std::optional<ResourcePath> parse_resource_path(std::string_view path,
                                                const ResourceRegistry& registry) {
  std::vector<std::string> seg;
  std::size_t start = 0;
  while (start < path.size()) {
    if (path[start] == '/') {
      ++start;
      continue;
    }
    const std::size_t end = path.find('/', start);
    seg.emplace_back(path.substr(start, end - start));
    if (end == std::string_view::npos) break;
    start = end;
  }
  ResourcePath p;
  std::size_t i = 0;
  if (seg.size() >= 3 && seg[0] == "api") {
    p.version = seg[1];
    i = 2;
  } else if (seg.size() >= 4 && seg[0] == "apis") {
    p.group = seg[1];
    p.version = seg[2];
    i = 3;
  } else {
    return std::nullopt;
  }
  if (registry.in_group_version(p.group, p.version).empty()) return std::nullopt;
  if (seg[i] == "watch") {
    p.legacy_watch = true;
    ++i;
  }
  std::vector<std::string> rest(seg.begin() + static_cast<std::ptrdiff_t>(i), seg.end());
  // namespaces/NS/RESOURCE… is a namespaced request unless RESOURCE is not a namespaced
  // resource of this group/version, in which case it is a subresource of the Namespace.
  if (rest.size() >= 3 && rest[0] == "namespaces") {
    const ResourceType* t = registry.find(p.group, p.version, rest[2]);
    if (t != nullptr && t->namespaced) {
      p.ns = rest[1];
      rest.erase(rest.begin(), rest.begin() + 2);
    }
  }
  if (rest.empty() || rest.size() > 3) return std::nullopt;
  p.resource = rest[0];
  if (rest.size() >= 2) p.name = rest[1];
  if (rest.size() == 3) p.subresource = rest[2];
  return p;
}

}  // namespace zkop::sandbox
