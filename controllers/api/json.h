#pragma once

// JSON throughout the project is nlohmann::json (Debian's nlohmann-json3-dev): a well-kept,
// header-only library with value semantics. cpprestsdk's web::json stays inside the HTTP
// transport so that the rest of the code does not depend on a library in maintenance mode.
#include <nlohmann/json.hpp>

namespace zkop {
using Json = nlohmann::json;
}  // namespace zkop
