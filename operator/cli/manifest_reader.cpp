#include "operator/cli/manifest_reader.h"

#include <fstream>
#include <iostream>
#include <sstream>

#include "controllers/api/yaml_json.h"

namespace zkop::cli {

std::expected<std::vector<Json>, std::string> readManifests(const std::string& file) {
  std::stringstream text;
  if (file == "-") {
    text << std::cin.rdbuf();
  } else {
    std::ifstream in(file);
    if (!in) return std::unexpected("cannot read " + file);
    text << in.rdbuf();
  }
  auto documents = api::parseYamlDocuments(text.str());
  if (!documents) return std::unexpected(file + ": " + documents.error());
  if (documents->empty()) return std::unexpected(file + ": no documents");
  return documents;
}

}  // namespace zkop::cli
