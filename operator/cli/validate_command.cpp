#include "operator/cli/validate_command.h"

#include <ostream>

#include "controllers/api/validation.h"
#include "operator/cli/manifest_reader.h"

namespace zkop::cli {

std::string describeDocument(const Json& doc, std::size_t index) {
  std::string name = "document " + std::to_string(index + 1);
  if (doc.is_object() && doc.contains("metadata") && doc["metadata"].is_object()) {
    name += " (" + doc["metadata"].value("name", std::string("<unnamed>")) + ")";
  }
  return name;
}

int runValidate(const std::string& file, std::ostream& out, std::ostream& err) {
  auto documents = readManifests(file);
  if (!documents) {
    err << "error: " << documents.error() << "\n";
    return 1;
  }
  std::size_t invalid = 0;
  for (std::size_t i = 0; i < documents->size(); ++i) {
    const auto& doc = (*documents)[i];
    const auto errors = api::validateDocument(doc);
    if (errors.empty()) {
      out << file << ": " << describeDocument(doc, i) << ": valid\n";
      continue;
    }
    ++invalid;
    err << file << ": " << describeDocument(doc, i) << ": " << errors.size() << " error"
        << (errors.size() == 1 ? "" : "s") << "\n";
    for (const auto& e : errors) err << "  " << e.toString() << "\n";
  }
  return invalid == 0 ? 0 : 1;
}

}  // namespace zkop::cli
