// Static mode membership (3.4 style): every change is a new server list that members pick up
// when they restart. Sequencing, one step per call:
//   1. while some member runs an older list, roll it (rolling_restart.cpp: followers in
//      ascending myid, the leader last); new members in the list are started first by repair;
//   2. once every member runs the list, members it no longer names are stopped, after a
//      write has committed under it;
//   3. then the next list: one server added, removed or changed in role. Rule 1 allows no
//      more: q(n) + q(n+2) = n + 2 is not more than |old ∪ new| = n + 2, so 5 -> 11 passes
//      through 6, 7, ..., 10, each with its own roll.
#include <algorithm>

#include "controllers/planner/ensemble_view.h"
#include "controllers/planner/plan_context.h"

namespace zkop::planner {

namespace {

bool rollInProgress(const PlanContext& ctx) {
  return std::any_of(ctx.observed.members.begin(), ctx.observed.members.end(),
                     [&ctx](const ObservedMember& m) {
                       return m.up && inConfig(ctx.observed, m.myid) &&
                              m.configVersion != ctx.observed.config.version;
                     });
}

// Followers first; a leader off the list goes last (its stop is the roll's one election).
std::optional<Step> stopMembersOffTheList(const PlanContext& ctx) {
  const ObservedEnsemble& observed = ctx.observed;
  std::vector<const ObservedMember*> leaving;
  for (const auto& m : observed.members) {
    if (inConfig(observed, m.myid)) continue;
    if (m.up || (m.podPresent && !m.slot.isExternal())) leaving.push_back(&m);
  }
  std::stable_sort(leaving.begin(), leaving.end(), [&observed](const auto* a, const auto* b) {
    return (observed.leaderMyid == a->myid) < (observed.leaderMyid == b->myid);
  });
  for (const ObservedMember* m : leaving) {
    if (m->up && observed.barrierConfigVersion < observed.config.version) {
      return WriteBarrier{observed.config.version};
    }
    if (m->slot.isExternal()) {
      // Its old list still counts it; until its owner stops it no new list may be written.
      return Wait{"external member " + m->slot.label() + " (myid " + std::to_string(m->myid) +
                  ") to be stopped by its owner: list v" + std::to_string(observed.config.version) +
                  " no longer names it"};
    }
    return StopMember{m->slot, m->myid, ctx.target.find(m->slot) == nullptr,
                      observed.leaderMyid == m->myid};
  }
  return std::nullopt;
}

ServerList nextList(const ServerList& current) {
  ServerList next = current;
  next.version = current.version + 1;
  return next;
}

// Makes sure `t` has a member with a myid it may keep, or says what to do first.
std::optional<Step> prepareSlot(const PlanContext& ctx, const TargetMember& t) {
  const ObservedMember* m = ctx.observed.findBySlot(t.slot);
  if (m == nullptr) return AssignMyid{t.slot, kNoMyid, nextFreeMyid(ctx.observed, ctx.desired)};
  if (ctx.wantedAs(*m) == nullptr) {
    if (m->up || m->podPresent || inConfig(ctx.observed, m->myid)) return std::nullopt;
    return AssignMyid{t.slot, m->myid, nextFreeMyid(ctx.observed, ctx.desired)};
  }
  if (m->dataOwnerMyid && (*m->dataOwnerMyid != m->myid || m->dataLost) && !m->up) {
    return CleanDataDir{m->slot, m->myid};
  }
  return std::nullopt;
}

struct ListChanges {
  std::vector<Step> additions;  // WriteServerList or a preparation step for it
  std::vector<Step> voterRemovals;
  std::vector<Step> otherChanges;  // observers and roles
};

ListChanges listChanges(const PlanContext& ctx) {
  const ObservedEnsemble& observed = ctx.observed;
  const ServerList& current = observed.config;
  ListChanges c;
  for (const auto& t : ctx.target.members) {
    const ObservedMember* m = ctx.validMemberFor(t);
    if (m != nullptr && current.find(m->myid) != nullptr) continue;
    if (t.fixedMyid != 0) {
      ServerList next = nextList(current);
      next.servers.push_back({t.fixedMyid, t.slot, t.role});
      (t.role == Role::Participant ? c.additions : c.otherChanges).push_back(WriteServerList{next});
      continue;
    }
    if (auto prep = prepareSlot(ctx, t)) {
      (t.role == Role::Participant ? c.additions : c.otherChanges).push_back(*prep);
      continue;
    }
    if (m == nullptr) continue;  // waiting for the old holder of the slot to leave
    ServerList next = nextList(current);
    next.servers.push_back({m->myid, t.slot, t.role});
    (t.role == Role::Participant ? c.additions : c.otherChanges).push_back(WriteServerList{next});
  }
  // Removals, the leader last: it is the one restart that costs an election.
  std::vector<const ServerEntry*> leaving;
  for (const auto& entry : current.servers) {
    const ObservedMember* m = observed.findByMyid(entry.myid);
    const TargetMember* t = m == nullptr ? nullptr : ctx.wantedAs(*m);
    if (t == nullptr) {
      leaving.push_back(&entry);
    } else if (t->role != entry.role) {
      ServerList next = nextList(current);
      for (auto& e : next.servers) {
        if (e.myid == entry.myid) e.role = t->role;
      }
      c.otherChanges.push_back(WriteServerList{next});
    }
  }
  std::stable_sort(leaving.begin(), leaving.end(), [&observed](const auto* a, const auto* b) {
    return (observed.leaderMyid == a->myid) < (observed.leaderMyid == b->myid);
  });
  for (const ServerEntry* entry : leaving) {
    ServerList next = nextList(current);
    std::erase_if(next.servers, [entry](const ServerEntry& e) { return e.myid == entry->myid; });
    (entry->role == Role::Participant ? c.voterRemovals : c.otherChanges)
        .push_back(WriteServerList{next});
  }
  return c;
}

}  // namespace

std::optional<Step> planStaticMembership(const PlanContext& ctx) {
  if (rollInProgress(ctx)) return planRollingRestart(ctx);
  if (auto s = stopMembersOffTheList(ctx)) return s;

  const ListChanges c = listChanges(ctx);
  const int voters = ctx.observed.config.participantCount();
  const int wanted = ctx.target.participantCount();
  std::vector<Step> order;
  // Above target: shrink first; otherwise grow first so a migration keeps its voter count.
  if (voters > wanted) order = c.voterRemovals;
  order.insert(order.end(), c.additions.begin(), c.additions.end());
  order.insert(order.end(), c.voterRemovals.begin(), c.voterRemovals.end());
  order.insert(order.end(), c.otherChanges.begin(), c.otherChanges.end());
  for (const auto& s : order) {
    if (ctx.passes(s)) return s;
  }
  if (!order.empty()) return order.front();  // refused: nextStep reports the rule
  return std::nullopt;
}

}  // namespace zkop::planner
