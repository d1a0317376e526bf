#pragma once

#include <expected>
#include <string>
#include <vector>

#include "controllers/api/json.h"

namespace zkop::cli {

// Reads every YAML/JSON document of a file ("-" for stdin).
std::expected<std::vector<Json>, std::string> readManifests(const std::string& file);

}  // namespace zkop::cli
