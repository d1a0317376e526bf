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

// Static mode: participants of `list` that already run it and will vote in the election
// under it: healthy ones, and those that wait for the leader's list (see below).
int healthyParticipantsRunning(const ObservedEnsemble& observed, const ServerList& list,
                               int exceptMyid = kNoMyid);

// The list whose quorum the current leader counts: in Static mode the leader may still run
// the previous list during a rolling restart; in Dynamic mode it is the committed config.
const ServerList& leaderConfig(const ObservedEnsemble& observed, ReconfigMode mode);

// Static mode: `member` is up but the list the leader runs does not name it (a new member
// of the current list while the roll has not reached the leader). ZooKeeper 3.5+ leaders
// refuse a learner whose sid is not in their own list, so it cannot sync until the leader
// restarts onto the current list; it holds no vote in the quorum the leader counts. It does
// vote in the election after the leader's restart.
bool waitsForLeaderList(const ObservedMember& member, const ObservedEnsemble& observed,
                        ReconfigMode mode);

// Nobody has data and nobody is known to have lost it: the first start of the ensemble.
bool isBootstrap(const ObservedEnsemble& observed);

// Members in the config other than `exceptMyid` that are not healthy (a member that lost its
// disk excepted). Rule 3 allows one member down because of the operator, so any such member
// stops restarts.
// A member that waits for the leader's list (Static mode) is not counted either: it cannot
// sync before the roll reaches the leader.
std::vector<const ObservedMember*> unhealthyMembers(const ObservedEnsemble& observed,
                                                    ReconfigMode mode, int exceptMyid = kNoMyid);

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
