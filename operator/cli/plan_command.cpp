#include "operator/cli/plan_command.h"

#include <ostream>

#include "controllers/api/defaults.h"
#include "controllers/api/json_codec.h"
#include "controllers/api/validation.h"
#include "controllers/planner/plan_preview.h"
#include "controllers/reconciler/desired_ensemble.h"
#include "controllers/reconciler/observed_json.h"
#include "controllers/reconciler/settled_ensemble.h"
#include "operator/cli/manifest_reader.h"

namespace zkop::cli {
namespace {

std::expected<api::ZookeeperCluster, std::string> clusterOf(const Json& doc,
                                                            const std::string& file) {
  if (auto errors = api::validateDocument(doc); !errors.empty()) {
    std::string text = file + ": invalid:";
    for (const auto& e : errors) text += "\n  " + e.toString();
    return std::unexpected(text);
  }
  auto cluster = api::decodeCluster(doc).cluster;
  api::applyDefaults(cluster);
  return cluster;
}

std::expected<api::ZookeeperCluster, std::string> loadCluster(const std::string& file) {
  auto documents = readManifests(file);
  if (!documents) return std::unexpected(documents.error());
  return clusterOf(documents->front(), file);
}

std::expected<planner::ObservedEnsemble, std::string> loadObserved(const std::string& file) {
  auto documents = readManifests(file);
  if (!documents) return std::unexpected(documents.error());
  const auto& doc = documents->front();
  if (doc.is_object() && doc.value("kind", "") == "ZookeeperCluster") {
    auto cluster = clusterOf(doc, file);
    if (!cluster) return std::unexpected(cluster.error());
    return reconciler::observedFromStatus(*cluster);
  }
  auto observed = reconciler::observedFromJson(doc);
  if (!observed) return std::unexpected(file + ": " + observed.error());
  return observed;
}

std::string ids(const std::vector<int>& myids) {
  std::string out;
  for (int id : myids) out += (out.empty() ? "" : ",") + std::to_string(id);
  return out.empty() ? "-" : out;
}

}  // namespace

int runPlan(const PlanOptions& options, std::ostream& out, std::ostream& err) {
  auto target = loadCluster(options.file);
  if (!target) {
    err << "error: " << target.error() << "\n";
    return 1;
  }
  planner::ObservedEnsemble observed = reconciler::observedFromStatus(*target);
  if (!options.observed.empty()) {
    auto loaded = loadObserved(options.observed);
    if (!loaded) {
      err << "error: " << loaded.error() << "\n";
      return 1;
    }
    observed = *loaded;
  } else if (!options.from.empty()) {
    auto current = loadCluster(options.from);
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
  const bool blocked = std::holds_alternative<planner::Blocked>(preview.end);
  if (options.json) {
    out << reconciler::previewToJson(preview)["steps"].dump(2) << "\n";
  } else {
    for (const auto& step : preview.steps) {
      out << step.number << ". " << step.description << "\n"
          << "   voters " << ids(step.votersAfter) << "  observers " << ids(step.observersAfter)
          << "  quorum " << step.quorumAfter << "\n";
      if (!step.whySafe.empty()) out << "   safe: " << step.whySafe << "\n";
    }
    out << "end: " << planner::describe(preview.end) << "\n";
  }
  if (blocked) err << "blocked: " << planner::describe(preview.end) << "\n";
  return blocked ? 1 : 0;
}

}  // namespace zkop::cli
