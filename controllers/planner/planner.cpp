#include "controllers/planner/planner.h"

#include <algorithm>

#include "controllers/planner/ensemble_view.h"
#include "controllers/planner/invariant_checker.h"
#include "controllers/planner/plan_context.h"

namespace zkop::planner {

const TargetMember* PlanContext::wantedAs(const ObservedMember& member) const {
  const TargetMember* t = target.find(member.slot);
  if (t == nullptr) return nullptr;
  if (t->fixedMyid != 0 && t->fixedMyid != member.myid) return nullptr;
  if (mustRetire(member, desired)) return nullptr;
  return t;
}

const ObservedMember* PlanContext::validMemberFor(const TargetMember& t) const {
  const ObservedMember* member = observed.findBySlot(t.slot);
  if (member == nullptr || wantedAs(*member) == nullptr) return nullptr;
  return member;
}

bool PlanContext::passes(const Step& step) const {
  return checkStep(desired, observed, step).has_value();
}

StartMember PlanContext::start(const ObservedMember& member, Role role, bool asJoiner) const {
  return StartMember{member.slot, member.myid,           role,
                     asJoiner,    desired.targetVersion, observed.config.version};
}

RestartMember PlanContext::restart(const ObservedMember& member, Role role, bool asJoiner) const {
  return RestartMember{member.slot,
                       member.myid,
                       role,
                       asJoiner,
                       desired.targetVersion,
                       observed.config.version,
                       observed.leaderMyid == member.myid};
}

namespace {

std::optional<Step> planMembership(const PlanContext& ctx) {
  return ctx.dynamic() ? planDynamicMembership(ctx) : planStaticMembership(ctx);
}

}  // namespace

Step nextStep(const DesiredEnsemble& desired, const ObservedEnsemble& observed) {
  auto shape = targetShape(desired);
  if (!shape) return Blocked{"spec refused: " + shape.error()};
  for (const auto& ext : desired.externalMembers) {
    const ObservedMember* holder = observed.findByMyid(ext.myid);
    if (holder != nullptr && !holder->slot.isExternal()) {
      return Blocked{"spec refused: external myid " + std::to_string(ext.myid) +
                     " collides with member " + holder->slot.label()};
    }
  }
  const PlanContext ctx{desired, observed, *shape};
  std::optional<Step> step;
  for (auto phase : {planBootstrap, planRepair, planMembership, planRollingRestart}) {
    step = phase(ctx);
    if (step) break;
  }
  if (!step) return Done{};
  // The planner never hands out a step the checker refuses.
  if (auto verdict = checkStep(desired, observed, *step); !verdict) {
    return Blocked{"no safe step: " + describe(*step) + " would break " +
                   toString(verdict.error())};
  }
  return *step;
}

}  // namespace zkop::planner
