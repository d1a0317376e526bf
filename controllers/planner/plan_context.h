#pragma once

#include <optional>
#include <vector>

#include "controllers/planner/desired_ensemble.h"
#include "controllers/planner/observed_ensemble.h"
#include "controllers/planner/step.h"
#include "controllers/planner/target_shape.h"

// Internal to the planner: what one planning pass knows, and the phases it runs in order.
// Each phase returns a step when it has something to do, std::nullopt to let the next
// phase look.
namespace zkop::planner {

struct PlanContext {
  const DesiredEnsemble& desired;
  const ObservedEnsemble& observed;
  const TargetShape& target;

  bool dynamic() const { return desired.reconfigMode == ReconfigMode::Dynamic; }
  // The slot's target when `member` may stay in it (right slot, myid not retired).
  const TargetMember* wantedAs(const ObservedMember& member) const;
  // The member that holds the target slot with a myid it may keep, if any.
  const ObservedMember* validMemberFor(const TargetMember& target) const;
  // Whether checkStep accepts the step (used to pick among candidate steps).
  bool passes(const Step& step) const;

  StartMember start(const ObservedMember& member, Role role, bool asJoiner) const;
  RestartMember restart(const ObservedMember& member, Role role, bool asJoiner) const;
};

// First start of an ensemble: issue myids, write the list, start everybody.
std::optional<Step> planBootstrap(const PlanContext& ctx);
// Members down, no quorum, faults, members still syncing.
std::optional<Step> planRepair(const PlanContext& ctx);
// Membership changes by reconfig: joiners as observers, promotions, removals.
std::optional<Step> planDynamicMembership(const PlanContext& ctx);
// Membership changes by server lists, one server per list, each followed by a roll.
std::optional<Step> planStaticMembership(const PlanContext& ctx);
// Restarts for a new version (and in Static mode a new list): followers first, leader last.
std::optional<Step> planRollingRestart(const PlanContext& ctx);

}  // namespace zkop::planner
