#pragma once

#include <iosfwd>
#include <string>

namespace zkop::cli {

// `zkop render -f FILE`: prints the objects the operator would create for each
// ZookeeperCluster in FILE before any member runs (initial myids, initial config), like
// `helm template`. Invalid documents are reported as by `zkop validate`; exit 1.
int runRender(const std::string& file, std::ostream& out, std::ostream& err);

}  // namespace zkop::cli
