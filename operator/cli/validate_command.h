#pragma once

#include <iosfwd>
#include <string>

#include "controllers/api/json.h"

namespace zkop::cli {

// `zkop validate -f FILE`: decodes every ZookeeperCluster document in FILE (YAML or JSON,
// one or many documents, "-" for stdin) and prints each problem with its field path.
// Returns 0 when every document is valid, 1 otherwise (also for unreadable input).
int runValidate(const std::string& file, std::ostream& out, std::ostream& err);

// "document 2 (name)": how messages name a document of a multi-document file.
std::string describeDocument(const Json& document, std::size_t index);

}  // namespace zkop::cli
