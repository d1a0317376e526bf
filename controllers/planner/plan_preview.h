#pragma once

#include <optional>
#include <string>
#include <vector>

#include "controllers/planner/desired_ensemble.h"
#include "controllers/planner/observed_ensemble.h"
#include "controllers/planner/step.h"

// The whole plan a change would take, for `zkop plan` and for status.operation. The planner
// itself only ever decides the next step; the preview asks it again and again against the
// state each step is expected to leave, assuming every action succeeds and every wait is
// answered. Reality may differ (a member crashes): the operator replans at every step.
namespace zkop::planner {

struct PreviewStep {
  int number = 0;  // 1-based
  Step step;
  std::string action;       // actionName(step)
  std::string description;  // describe(step)
  std::optional<MemberSlot> member;
  std::optional<int> myid;
  std::vector<int> votersAfter;     // participants of the config after the step, ascending
  std::vector<int> observersAfter;  // observers of the config after the step, ascending
  int quorumAfter = 0;              // q(|votersAfter|)
  std::string whySafe;              // which rule the step keeps and how
};

struct PlanPreview {
  std::vector<PreviewStep> steps;  // actions only; waits are folded into them
  Step end;                        // Done, Blocked, or a Wait no action answers
};

PlanPreview previewPlan(const DesiredEnsemble& desired, const ObservedEnsemble& observed,
                        int maxSteps = 2000);

// The state `step` is expected to leave once ZooKeeper has caught up: members started are
// synced, a leader that goes is succeeded by the highest-myid voter that holds data.
ObservedEnsemble expectedOutcome(const DesiredEnsemble& desired, const ObservedEnsemble& observed,
                                 const Step& step);

// Why `step` is safe in `observed`, in the words of BRIEF §2.
std::string whySafe(const DesiredEnsemble& desired, const ObservedEnsemble& observed,
                    const Step& step);

}  // namespace zkop::planner
