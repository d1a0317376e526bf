#pragma once

#include <iosfwd>
#include <string_view>

namespace zkop::cli {

// The operator's own version (semver, from the CMake project).
std::string_view operatorVersion();

// `zkop version`: prints the operator version and the API version it serves.
int runVersion(std::ostream& out);

}  // namespace zkop::cli
