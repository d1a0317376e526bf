#include "operator/cli/plan_command.h"

#include <ostream>

#include "controllers/api/defaults.h"
#include "controllers/api/json_codec.h"
#include "controllers/api/validation.h"
#include "controllers/planner/plan_preview.h"
#include "controllers/reconciler/desired_ensemble.h"
#include "controllers/reconciler/settled_ensemble.h"
#include "operator/cli/manifest_reader.h"

namespace zkop::cli {
namespace {

std::expected<api::ZookeeperCluster, std::string> loadCluster(const std::string& file) {
  auto documents = readManifests(file);
  if (!documents) return std::unexpected(documents.error());
  const auto& doc = documents->front();
  if (auto errors = api::validateDocument(doc); !errors.empty()) {
    std::string text = file + ": invalid:";
    for (const auto& e : errors) text += "\n  " + e.toString();
    return std::unexpected(text);
  }
  auto cluster = api::decodeCluster(doc).cluster;
  api::applyDefaults(cluster);
  return cluster;
}

std::string ids(const std::vector<int>& myids) {
  std::string out;
  for (int id : myids) out += (out.empty() ? "" : ",") + std::to_string(id);
  return out.empty() ? "-" : out;
}

}  // namespace

int runPlan(const std::string& file, const std::string& from, std::ostream& out,
            std::ostream& err) {
  auto target = loadCluster(file);
  if (!target) {
    err << "error: " << target.error() << "\n";
    return 1;
  }
  planner::ObservedEnsemble observed;
  if (!from.empty()) {
    auto current = loadCluster(from);
    if (!current) {
      err << "error: " << current.error() << "\n";
      return 1;
    }
    if (auto errors = api::validateUpdate(*current, *target); !errors.empty()) {
      err << "error: the change is refused:\n";
      for (const auto& e : errors) err << "  " << e.toString() << "\n";
      return 1;
    }
    observed = reconciler::settledEnsemble(*current);
  }
  const auto preview = planner::previewPlan(reconciler::desiredEnsemble(*target), observed);
  for (const auto& step : preview.steps) {
    out << step.number << ". " << step.description << "\n"
        << "   voters " << ids(step.votersAfter) << "  observers " << ids(step.observersAfter)
        << "  quorum " << step.quorumAfter << "\n";
    if (!step.whySafe.empty()) out << "   safe: " << step.whySafe << "\n";
  }
  out << "end: " << planner::describe(preview.end) << "\n";
  return std::holds_alternative<planner::Blocked>(preview.end) ? 1 : 0;
}

}  // namespace zkop::cli
