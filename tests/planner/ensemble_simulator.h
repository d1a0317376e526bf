#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "controllers/planner/desired_ensemble.h"
#include "controllers/planner/observed_ensemble.h"
#include "controllers/planner/step.h"

// A small in-memory ZooKeeper ensemble for the planner's tests. It applies planner steps as
// the actuator would, and models what ZooKeeper does in between:
//   - elections: among the running voters of a config that has a quorum up, the member with
//     data and the highest myid wins (equal zxid: the highest myid wins);
//   - reconfig removing the leader: the leader designates a successor (no election);
//   - evidence: after every step running members catch up with the leader (sync);
//   - Static mode: several lists can be in play; when two groups running different lists
//     could each elect a leader with disjoint voters, the split brain is recorded. A member
//     syncs only if the list the leader runs names it (ZooKeeper 3.5+ leaders refuse
//     learners whose sid they do not know); otherwise it stays up but unsynced.
// It is the tests' independent model: it does not call the planner or the checker.
namespace zkop::planner::testing {

struct SimulatorStats {
  int leaderRestarts = 0;           // the operator restarted or stopped the current leader
  int handoffs = 0;                 // leadership moved by reconfig without an election
  int elections = 0;                // full elections (leader lost)
  std::vector<std::string> errors;  // model violations: split brain, myid reuse, lost data
};

class EnsembleSimulator {
 public:
  // A settled ensemble of `desired`'s shape at `version`: myids issued in the planner's order
  // (lowest leaderPriority first), everybody up and synced. The leader is the highest myid
  // voter unless `leaderMyid` names another.
  static EnsembleSimulator settled(const DesiredEnsemble& desired, const std::string& version,
                                   int leaderMyid = -1);
  // Nothing created yet.
  static EnsembleSimulator empty(ReconfigMode mode);

  const ObservedEnsemble& observed() const { return state_; }
  ObservedEnsemble& mutableObserved() { return state_; }
  const SimulatorStats& stats() const { return stats_; }

  // Performs one action. Returns false (and records an error) if the model cannot do it.
  bool apply(const Step& step);
  // Time passes until ZooKeeper has answered: elections, syncing.
  void settle();

  // Failures that are not the operator's doing.
  void crash(int myid);  // the process dies; its pod is recreated later
  void keepDown(int myid) { keptDown_.insert(myid); }  // it cannot come back
  void loseData(int myid);                             // the PVC is gone: the member restarts empty
  // What the owner of an external server does when zkop asks: restart it with the current
  // list, or stop it. Returns false if `myid` is not an external member.
  bool ownerRestarts(int myid);
  bool ownerStops(int myid);

  // Every target slot runs the target version and role, nothing else runs.
  std::string differenceFrom(const DesiredEnsemble& desired) const;

 private:
  ObservedMember* bySlot(const MemberSlot& slot);
  ObservedMember* byMyid(int myid);
  void loseLeader();
  void elect();
  void startProcess(ObservedMember& m, Role role, const std::string& version,
                    std::int64_t configVersion);
  const ServerList* listVersion(std::int64_t version) const;

  ObservedEnsemble state_;
  ReconfigMode mode_ = ReconfigMode::Dynamic;
  std::map<std::int64_t, ServerList> lists_;  // every list ever in play, by version
  std::map<MemberSlot, int> retainedData_;    // PVCs left behind by decommissioned pods
  std::set<int> issued_;
  std::set<int> keptDown_;
  SimulatorStats stats_;
};

}  // namespace zkop::planner::testing
