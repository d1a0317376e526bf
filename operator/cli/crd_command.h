#pragma once

#include <iosfwd>

namespace zkop::cli {

// `zkop crd`: prints the ZookeeperCluster CRD as YAML (the content of crds/);
// with `reference`, the Markdown field reference instead (docs/api.md).
int runCrd(std::ostream& out, bool reference);

}  // namespace zkop::cli
