#pragma once

#include "controllers/planner/desired_ensemble.h"
#include "controllers/planner/observed_ensemble.h"
#include "controllers/planner/step.h"

// The quorum-safe planner: from what the user wants and what is observed, the single next
// step. Stateless: after a crash the operator calls it again with what it observes and gets
// the step that is due, never a repeat of an unsafe one (BRIEF §2 rule 7).
namespace zkop::planner {

// Every action returned has passed checkStep(desired, observed, step); when no safe action
// exists the result is Wait (evidence will come) or Blocked (it will not, by itself).
Step nextStep(const DesiredEnsemble& desired, const ObservedEnsemble& observed);

}  // namespace zkop::planner
