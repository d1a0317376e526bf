#pragma once

// The Degraded condition: is the ensemble serving with fewer members than its config lists,
// other than the one member zkop itself is taking through a step? Pure.
//
// A member the current operation restarts, starts or stops is not a degradation (an upgrade
// would otherwise raise Degraded on every step and page whoever alerts on it), nor, while a
// step is under way, is a member that answers but is still electing or syncing because of it;
// a member that does not answer without zkop having taken it down is, and so is any other
// ensemble without a leader. With no operation in progress, every member that does not serve
// counts. A member whose data is lost is a degradation until its replacement serves, even
// while zkop's own steps replace it.

#include <optional>
#include <string>
#include <vector>

#include "controllers/reconciler/member_status.h"

namespace zkop::reconciler {

struct Degradation {
  bool degraded = false;
  // NoQuorum, DataLost, MembersNotServing, AllMembersServing, Electing or Creating
  std::string reason{};
  std::string message{};  // names the members that are not serving
};

struct EnsembleHealth {
  const MemberSummary& summary;         // this pass's member summary
  std::optional<int> deliberateMyid{};  // the member status.operation acts on, if any
  bool leaderElected = false;           // some member leads
  bool creating = false;                // no member has data yet: the first election is pending
  // Members whose start refused a volume without their data, e.g. "zk-1 (myid 2)".
  std::vector<std::string> lostData{};
};

Degradation assessDegradation(const EnsembleHealth& health);

}  // namespace zkop::reconciler
