#include "operator/cli/validate_command.h"

#include <fstream>
#include <iostream>
#include <sstream>

#include "controllers/api/validation.h"
#include "controllers/api/yaml_json.h"

namespace zkop::cli {
namespace {

std::string describe(const Json& doc, std::size_t index) {
  std::string name = "document " + std::to_string(index + 1);
  if (doc.is_object() && doc.contains("metadata") && doc["metadata"].is_object()) {
    name += " (" + doc["metadata"].value("name", std::string("<unnamed>")) + ")";
  }
  return name;
}

}  // namespace

int runValidate(const std::string& file, std::ostream& out, std::ostream& err) {
  std::stringstream text;
  if (file == "-") {
    text << std::cin.rdbuf();
  } else {
    std::ifstream in(file);
    if (!in) {
      err << "error: cannot read " << file << "\n";
      return 1;
    }
    text << in.rdbuf();
  }
  auto documents = api::parseYamlDocuments(text.str());
  if (!documents) {
    err << file << ": " << documents.error() << "\n";
    return 1;
  }
  if (documents->empty()) {
    err << file << ": no documents\n";
    return 1;
  }
  std::size_t invalid = 0;
  for (std::size_t i = 0; i < documents->size(); ++i) {
    const auto& doc = (*documents)[i];
    const auto errors = api::validateDocument(doc);
    if (errors.empty()) {
      out << file << ": " << describe(doc, i) << ": valid\n";
      continue;
    }
    ++invalid;
    err << file << ": " << describe(doc, i) << ": " << errors.size() << " error"
        << (errors.size() == 1 ? "" : "s") << "\n";
    for (const auto& e : errors) err << "  " << e.toString() << "\n";
  }
  return invalid == 0 ? 0 : 1;
}

}  // namespace zkop::cli
