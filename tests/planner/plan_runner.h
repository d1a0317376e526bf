#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "controllers/planner/desired_ensemble.h"
#include "controllers/planner/step.h"
#include "tests/planner/ensemble_simulator.h"

// Drives the planner against the simulator: plan one step, check it, apply it, let time
// pass, and plan again from what is observed (which is what an operator restart does too).
namespace zkop::planner::testing {

struct RunOptions {
  int maxSteps = 3000;
  // Called before planning step `index` (0-based): inject failures here.
  std::function<void(EnsembleSimulator&, int index)> beforeStep;
  // The operator crashes right after performing action `index`, before recording it in
  // status: status.highestMyid and the barrier record are rolled back.
  int statusLostAfterAction = -1;
};

struct RunResult {
  bool done = false;
  std::string stoppedWith;  // Blocked reason, or the Wait that no evidence answers
  std::string failure;      // a checker refusal, a model error, a wrong end state
  std::vector<Step> steps;  // every step the planner returned, waits included
  int transitions = 0;      // planner calls whose step was checked
  SimulatorStats stats;
};

RunResult runPlan(const DesiredEnsemble& target, EnsembleSimulator& sim,
                  const RunOptions& options = {});

// Voter sets (sorted myids) after each action, starting with the initial one; consecutive
// duplicates are dropped.
std::vector<std::vector<int>> votingSets(const std::vector<Step>& steps,
                                         const std::vector<int>& initialVoters);

}  // namespace zkop::planner::testing
