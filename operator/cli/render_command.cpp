#include "operator/cli/render_command.h"

#include <ostream>

#include "controllers/api/defaults.h"
#include "controllers/api/json_codec.h"
#include "controllers/api/validation.h"
#include "controllers/api/yaml_json.h"
#include "controllers/render/member_set.h"
#include "controllers/render/render.h"
#include "operator/cli/manifest_reader.h"
#include "operator/cli/validate_command.h"

namespace zkop::cli {

int runRender(const std::string& file, std::ostream& out, std::ostream& err) {
  auto documents = readManifests(file);
  if (!documents) {
    err << "error: " << documents.error() << "\n";
    return 1;
  }
  int status = 0;
  for (std::size_t i = 0; i < documents->size(); ++i) {
    const auto& doc = (*documents)[i];
    if (auto errors = api::validateDocument(doc); !errors.empty()) {
      err << file << ": " << describeDocument(doc, i) << ": not rendered, " << errors.size()
          << " error(s)\n";
      for (const auto& e : errors) err << "  " << e.toString() << "\n";
      status = 1;
      continue;
    }
    auto cluster = api::decodeCluster(doc).cluster;
    api::applyDefaults(cluster);
    const auto members = render::initialMemberSet(cluster);
    const auto committed = render::initialConfig(cluster, members);
    out << api::toYamlDocuments(render::renderAll({cluster, members, committed}));
  }
  return status;
}

}  // namespace zkop::cli
