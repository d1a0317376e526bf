#pragma once

#include <string>
#include <vector>

#include "controllers/planner/desired_ensemble.h"

// Small builders for desired ensembles in tests.
namespace zkop::planner::testing {

struct PoolShape {
  std::string name;
  int voters = 0;
  int observers = 0;
  int leaderPriority = 0;
};

inline DesiredEnsemble ensembleOf(std::vector<PoolShape> pools, ReconfigMode mode,
                                  const std::string& version = "3.8.0",
                                  UpdateStrategy strategy = UpdateStrategy::LeaderLast) {
  DesiredEnsemble d;
  for (auto& p : pools) d.pools.push_back({p.name, p.voters, p.observers, p.leaderPriority});
  d.targetVersion = version;
  d.reconfigMode = mode;
  d.updateStrategy = strategy;
  d.allowEvenVoters = true;
  d.tolerateUnavoidableOutage = true;
  return d;
}

inline const char* modeName(ReconfigMode mode) {
  return mode == ReconfigMode::Dynamic ? "Dynamic" : "Static";
}

}  // namespace zkop::planner::testing
