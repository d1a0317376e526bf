#pragma once

#include <string>

namespace zkop::api {

// docs/api.md: the field reference of ZookeeperCluster as Markdown, generated from the
// CRD schema (`zkop crd --reference`), so the documentation cannot drift from the model.
std::string apiReferenceMarkdown();

}  // namespace zkop::api
