#pragma once

#include <string>
#include <vector>

#include "controllers/planner/desired_ensemble.h"
#include "controllers/planner/observed_ensemble.h"

// Questions about an observed ensemble that both the planner and the invariant checker ask.
// Keeping them in one place means the two cannot disagree on what "synced voter" means.
namespace zkop::planner {

// Up and synced (the leader counts as synced).
bool isHealthy(const ObservedMember& member, const ObservedEnsemble& observed);

// Participants of `list` that are healthy, not counting `exceptMyid`.
int healthyParticipants(const ObservedEnsemble& observed, const ServerList& list,
                        int exceptMyid = kNoMyid);

// Static mode: participants of `list` that are healthy and already run it.
int healthyParticipantsRunning(const ObservedEnsemble& observed, const ServerList& list,
                               int exceptMyid = kNoMyid);

// The list whose quorum the current leader counts: in Static mode the leader may still run
// the previous list during a rolling restart; in Dynamic mode it is the committed config.
const ServerList& leaderConfig(const ObservedEnsemble& observed, ReconfigMode mode);

// Nobody has data and nobody is known to have lost it: the first start of the ensemble.
bool isBootstrap(const ObservedEnsemble& observed);

// Members in the config other than `exceptMyid` that are not healthy (a member that lost its
// disk excepted). Rule 3 allows one member down because of the operator, so any such member
// stops restarts.
std::vector<const ObservedMember*> unhealthyMembers(const ObservedEnsemble& observed,
                                                    int exceptMyid = kNoMyid);

bool inConfig(const ObservedEnsemble& observed, int myid);

// Without a leader, may an empty voter of `list` help elect one? Only while the running
// voters that hold their own data are a majority of all voters that do: then every possible
// quorum contains a member with every acknowledged write, and it wins the election (highest
// zxid). Otherwise empty voters could out-vote the data (BRIEF §6: two of three pods lost).
bool emptyVoterMayJoinElection(const ObservedEnsemble& observed, const ServerList& list);

// The version a managed member should run; external members are not ours to upgrade.
bool needsVersionChange(const ObservedMember& member, const DesiredEnsemble& desired);

// A myid the spec asks to retire, or a voter that forgot its data: it must leave the config
// and its slot gets a new myid.
bool mustRetire(const ObservedMember& member, const DesiredEnsemble& desired);

// The smallest myid a new member may get: above every myid ever issued, seen, or reserved by
// an external member, and at least myidBase.
int nextFreeMyid(const ObservedEnsemble& observed, const DesiredEnsemble& desired);

}  // namespace zkop::planner
