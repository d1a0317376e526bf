#pragma once

#include <iosfwd>

namespace zkop::cli {

// `zkop crd`: prints the ZookeeperCluster CRD as YAML (the content of crds/).
int runCrd(std::ostream& out);

}  // namespace zkop::cli
