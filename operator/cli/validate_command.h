#pragma once

#include <iosfwd>
#include <string>

namespace zkop::cli {

// `zkop validate -f FILE`: decodes every ZookeeperCluster document in FILE (YAML or JSON,
// one or many documents, "-" for stdin) and prints each problem with its field path.
// Returns 0 when every document is valid, 1 otherwise (also for unreadable input).
int runValidate(const std::string& file, std::ostream& out, std::ostream& err);

}  // namespace zkop::cli
