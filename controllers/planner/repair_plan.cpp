// Bootstrap and repair: get every member that belongs in the config running and synced
// before any change is attempted (BRIEF §2 rule 3: one member down at a time, and the
// operator's own restarts come after the ensemble is whole).
#include <algorithm>

#include "controllers/planner/ensemble_view.h"
#include "controllers/planner/plan_context.h"

namespace zkop::planner {

namespace {

std::string memberText(const ObservedMember& m) {
  return m.slot.label() + " (myid " + std::to_string(m.myid) + ")";
}

bool holdsOwnData(const ObservedMember& m) { return m.dataOwnerMyid == m.myid && !m.dataLost; }

// The list of the whole target, with the myids already issued.
std::optional<ServerList> bootstrapList(const PlanContext& ctx) {
  ServerList list;
  list.version = ctx.observed.config.version + 1;
  for (const auto& t : ctx.target.members) {
    if (t.fixedMyid != 0) {
      list.servers.push_back({t.fixedMyid, t.slot, t.role});
      continue;
    }
    const ObservedMember* m = ctx.observed.findBySlot(t.slot);
    if (m == nullptr) return std::nullopt;
    list.servers.push_back({m->myid, t.slot, t.role});
  }
  return list;
}

// Static mode: is there a list that enough running members use, and are voters in, to
// elect a leader? (Members only count votes of voters in the list they run.)
bool anyListCanElect(const ObservedEnsemble& observed) {
  for (const ServerList* list : {&observed.config, &observed.previousConfig}) {
    if (list->servers.empty()) continue;
    int running = 0;
    for (int id : list->participantIds()) {
      const ObservedMember* m = observed.findByMyid(id);
      if (m != nullptr && m->up && m->configVersion == list->version) ++running;
    }
    if (running >= quorumSize(list->participantCount())) return true;
  }
  return false;
}

}  // namespace

std::optional<Step> planBootstrap(const PlanContext& ctx) {
  if (!isBootstrap(ctx.observed)) return std::nullopt;
  // 1. Myids, lowest leaderPriority first, so the preferred pool ends with the highest.
  for (const auto& t : ctx.target.members) {
    if (t.fixedMyid != 0 || ctx.observed.findBySlot(t.slot) != nullptr) continue;
    return AssignMyid{t.slot, kNoMyid, nextFreeMyid(ctx.observed, ctx.desired)};
  }
  // 2. The list naming all of them.
  auto list = bootstrapList(ctx);
  if (!list) return Blocked{"a target slot has no myid"};
  if (!ctx.observed.config.sameMembership(*list)) return WriteServerList{*list};
  // 3. Start everybody with it; the ensemble forms once a quorum runs.
  for (const auto& t : ctx.target.members) {
    const ObservedMember* m = ctx.observed.findBySlot(t.slot);
    if (m == nullptr) {
      return Wait{"external member " + t.slot.label() + " to start with list v" +
                  std::to_string(ctx.observed.config.version)};
    }
    if (m->up || m->slot.isExternal()) continue;
    if (m->podPresent) return Wait{memberText(*m) + " to come up"};
    if (m->dataOwnerMyid && *m->dataOwnerMyid != m->myid) {
      return CleanDataDir{m->slot, m->myid};
    }
    return ctx.start(*m, t.role, false);
  }
  return Wait{"the first leader election"};
}

std::optional<Step> planRepair(const PlanContext& ctx) {
  const ObservedEnsemble& observed = ctx.observed;
  const ServerList& config = observed.config;

  // A member that crash-loops with "My id N not in the peer list" gets a list that names it.
  for (const auto& m : observed.members) {
    if (m.fault != MemberFault::NotInPeerList || m.slot.isExternal() || m.up) continue;
    if (const ServerEntry* entry = config.find(m.myid); entry != nullptr && holdsOwnData(m)) {
      return ctx.restart(m, entry->role, false);
    }
    if (ctx.dynamic() && ctx.wantedAs(m) != nullptr && holdsOwnData(m)) {
      return ctx.restart(m, Role::Observer, true);
    }
    return StopMember{m.slot, m.myid, ctx.target.find(m.slot) == nullptr, false};
  }

  if (!observed.leaderMyid) {
    const ServerList& counting = leaderConfig(observed, ctx.desired.reconfigMode);
    int up = 0;
    for (int id : counting.participantIds()) {
      const ObservedMember* m = observed.findByMyid(id);
      if (m != nullptr && m->up) ++up;
    }
    const int quorum = quorumSize(counting.participantCount());
    std::string interrupted;
    if (observed.operation && observed.operation->kind == OperationInProgress::Kind::Reconfig) {
      interrupted = " (a reconfig from v" + std::to_string(observed.operation->baseConfigVersion) +
                    " was in flight; the committed config will tell whether it applied)";
    }
    // Bring back voters that hold their own data first: starting them takes nothing down,
    // and in Static mode the voters that are up may run lists that cannot elect alone.
    int startable = 0;
    for (int id : counting.participantIds()) {
      const ObservedMember* m = observed.findByMyid(id);
      if (m == nullptr || m->up || m->slot.isExternal() || !holdsOwnData(*m)) continue;
      ++startable;
      if (m->podPresent) continue;
      if (m->fault != MemberFault::None) continue;
      return ctx.start(*m, Role::Participant, false);
    }
    // Static mode: voters that run an older list may be unable to elect under it; move one
    // to the current list (only while no list in play can elect).
    if (!ctx.dynamic() && !anyListCanElect(observed)) {
      for (int id : counting.participantIds()) {
        const ObservedMember* m = observed.findByMyid(id);
        if (m == nullptr || !m->up || m->slot.isExternal() ||
            m->configVersion == counting.version) {
          continue;
        }
        return ctx.restart(*m, Role::Participant, false);
      }
    }
    if (up >= quorum) {
      return Wait{"a leader to be elected among " + std::to_string(up) + " running voters" +
                  interrupted};
    }
    if (up + startable >= quorum) {
      return Wait{"voters holding data to come up and elect a leader" + interrupted};
    }
    // Empty voters (new members that never synced) may help once the data is safe in any
    // quorum they could form.
    if (emptyVoterMayJoinElection(observed, counting)) {
      for (int id : counting.participantIds()) {
        const ObservedMember* m = observed.findByMyid(id);
        if (m == nullptr || m->up || m->podPresent || m->slot.isExternal() || m->dataLost ||
            m->hasData()) {
          continue;
        }
        return ctx.start(*m, Role::Participant, false);
      }
    }
    return Blocked{"quorum lost: " + std::to_string(up) + " voters up and " +
                   std::to_string(startable) + " more hold data, " + std::to_string(quorum) +
                   " of " + std::to_string(counting.participantCount()) +
                   " needed; starting empty voters could lose acknowledged writes, recover "
                   "by hand"};
  }

  // With a leader: members in the config that are down come back first.
  for (const auto& m : observed.members) {
    const ServerEntry* entry = config.find(m.myid);
    if (entry == nullptr || m.up) continue;
    if (m.slot.isExternal()) {
      if (ctx.wantedAs(m) != nullptr) {
        return Wait{"external member " + memberText(m) + " to come back"};
      }
      continue;  // on its way out; the reconfig does not need it
    }
    if (mustRetire(m, ctx.desired)) continue;  // replaced, never started again as this myid
    if (m.podPresent) return Wait{memberText(m) + " to come up"};
    if (m.dataOwnerMyid && *m.dataOwnerMyid != m.myid) return CleanDataDir{m.slot, m.myid};
    return ctx.start(m, entry->role, false);
  }
  // Static mode, mid-roll: a member leaving the list still counts for the leader, which
  // runs the previous list; bring it back on that list rather than leave the leader short.
  // Once the roll is over, members off the list are being stopped, not brought back.
  const bool rolling = std::any_of(
      observed.members.begin(), observed.members.end(), [&config](const ObservedMember& m) {
        return m.up && config.find(m.myid) != nullptr && m.configVersion != config.version;
      });
  if (!ctx.dynamic() && rolling &&
      &leaderConfig(observed, ctx.desired.reconfigMode) == &observed.previousConfig) {
    for (const auto& m : observed.members) {
      const ServerEntry* entry = observed.previousConfig.find(m.myid);
      if (entry == nullptr || config.find(m.myid) != nullptr || m.up || m.podPresent ||
          m.slot.isExternal() || !holdsOwnData(m)) {
        continue;
      }
      StartMember start = ctx.start(m, entry->role, false);
      start.configVersion = observed.previousConfig.version;
      return start;
    }
  }
  // Evidence before anything else moves (rule 6).
  // Members on their way out, or about to be restarted as joiners, are not waited for; nor,
  // in Static mode, members the list the leader runs does not name (e.g. new members while
  // the leader still runs the previous list): ZooKeeper 3.5+ leaders refuse them, so they
  // sync only once the roll restarts the leader onto a list naming them.
  const ServerList& leaderList = leaderConfig(observed, ctx.desired.reconfigMode);
  for (const auto& m : observed.members) {
    if (!m.up || isHealthy(m, observed)) continue;
    if (!ctx.dynamic() && leaderList.find(m.myid) == nullptr) continue;
    const bool properJoiner = ctx.wantedAs(m) != nullptr && m.runningRole == Role::Observer &&
                              m.version == ctx.desired.targetVersion;
    if (inConfig(observed, m.myid) || properJoiner) {
      return Wait{memberText(m) + " to sync with the leader"};
    }
  }
  return std::nullopt;
}

}  // namespace zkop::planner
