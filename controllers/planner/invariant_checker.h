#pragma once

#include <expected>
#include <string>

#include "controllers/planner/desired_ensemble.h"
#include "controllers/planner/observed_ensemble.h"
#include "controllers/planner/step.h"

// The safety rules of BRIEF §2, checked for one step against one observed state, apart from
// the planner that proposes steps: the planner runs every step through it, and the tests run
// every step of every simulated plan through it.
namespace zkop::planner {

enum class SafetyRule {
  QuorumIntersection = 1,  // q(|old|) + q(|new|) > |old ∪ new|
  OneVotingJoiner = 2,     // joiners start as observers, promoted by one reconfig when synced
  AvailabilityBudget = 3,  // never fall below q; one member down because of the operator
  LeaderLast = 4,          // followers and observers before the leader (or hand off)
  MyidsNeverReused = 5,    // fresh myids, empty data for a new owner
  WaitForEvidence = 6,     // reconfig needs a leader; removed servers stop after a barrier
  Resumable = 7,           // conditional reconfig, lists written in order
};

struct Violation {
  SafetyRule rule;
  std::string message;
};

// "rule 3 (availability budget): ..."
std::string toString(const Violation& violation);

// Ok, or the first rule the step would break. Wait, Blocked and Done always pass.
std::expected<void, Violation> checkStep(const DesiredEnsemble& desired,
                                         const ObservedEnsemble& observed, const Step& step);

}  // namespace zkop::planner
