// Rolling restarts: one member at a time, each only after the previous one is synced again
// (repair waits for that). Order by strategy:
//   LeaderLast  followers and observers in ascending myid (seed 002: a restarted server
//               only dials peers with smaller myids), the leader last (seed 000 §4.1);
//   Handoff     the same, but in Dynamic mode the leader is first removed by reconfig,
//               which designates a successor without an election, and then rejoins as an
//               observer joiner (dynamic_plan.cpp) and is added back;
//   StatefulSet the baseline: pools in spec order, descending ordinal, roles ignored.
#include <algorithm>

#include "controllers/planner/ensemble_view.h"
#include "controllers/planner/plan_context.h"

namespace zkop::planner {

namespace {

bool needsRestart(const PlanContext& ctx, const ObservedMember& m) {
  if (!m.up || !inConfig(ctx.observed, m.myid)) return false;
  const bool staleList = !ctx.dynamic() && m.configVersion != ctx.observed.config.version;
  if (m.slot.isExternal()) return staleList;
  return staleList || needsVersionChange(m, ctx.desired);
}

int poolIndex(const DesiredEnsemble& desired, const MemberSlot& slot) {
  for (std::size_t i = 0; i < desired.pools.size(); ++i) {
    if (desired.pools[i].name == slot.pool) return static_cast<int>(i);
  }
  return static_cast<int>(desired.pools.size());
}

}  // namespace

std::optional<Step> planRollingRestart(const PlanContext& ctx) {
  const ObservedEnsemble& observed = ctx.observed;
  std::vector<const ObservedMember*> due;
  for (const auto& m : observed.members) {
    if (needsRestart(ctx, m)) due.push_back(&m);
  }
  if (due.empty()) return std::nullopt;

  // The baseline only applies to version rolls: a Static list roll must end with the leader,
  // or the election after it would be held by members still on the old list.
  const bool listRoll = !ctx.dynamic() && std::any_of(due.begin(), due.end(), [&](const auto* m) {
    return m->configVersion != observed.config.version;
  });
  if (ctx.desired.updateStrategy == UpdateStrategy::StatefulSet && !listRoll) {
    std::sort(due.begin(), due.end(), [&ctx](const auto* a, const auto* b) {
      const int pa = poolIndex(ctx.desired, a->slot), pb = poolIndex(ctx.desired, b->slot);
      return pa != pb ? pa < pb : a->slot.ordinal > b->slot.ordinal;
    });
  } else {
    std::sort(due.begin(), due.end(), [&observed](const auto* a, const auto* b) {
      const bool aLeads = observed.leaderMyid == a->myid, bLeads = observed.leaderMyid == b->myid;
      return aLeads != bLeads ? bLeads : a->myid < b->myid;
    });
  }
  const ObservedMember& next = *due.front();
  if (next.slot.isExternal()) {
    return Wait{"external member " + next.slot.label() + " (myid " + std::to_string(next.myid) +
                ") to be restarted by its owner with list v" +
                std::to_string(observed.config.version)};
  }
  const ServerEntry* entry = observed.config.find(next.myid);
  const bool isLeader = observed.leaderMyid == next.myid;
  if (isLeader && ctx.dynamic() && ctx.desired.updateStrategy == UpdateStrategy::Handoff &&
      observed.config.participantCount() >= 2) {
    return HandOffLeadership{next.slot, next.myid, observed.config.version};
  }
  return ctx.restart(next, entry->role, false);
}

}  // namespace zkop::planner
