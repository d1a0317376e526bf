#pragma once

#include <string>
#include <vector>

#include "controllers/planner/ensemble.h"

// What the user asked for, reduced to what the planner needs. The lead's adapter builds it
// from the ZookeeperCluster spec; nothing here knows about Kubernetes.
namespace zkop::planner {

// A set of members placed together (one StatefulSet). Ordinals [0, voters) are participants,
// ordinals [voters, voters + observers) are observers; scaling a pool down removes the
// highest ordinals first, as a StatefulSet does.
struct DesiredPool {
  std::string name;
  int voters = 0;
  int observers = 0;
  // Higher means "prefer the leader here": new members of higher-priority pools get higher
  // myids, because with equal zxid the highest myid wins an election (seed 002).
  int leaderPriority = 0;
};

// A server outside this Kubernetes cluster (a VM, another cluster) that the ensemble shares.
// The operator cannot start or stop it; it only adds it to or removes it from the config.
struct DesiredExternalMember {
  int myid = 0;
  std::string host;
  Role role = Role::Participant;
};

struct DesiredEnsemble {
  std::vector<DesiredPool> pools;
  std::vector<DesiredExternalMember> externalMembers;
  std::string targetVersion;
  ReconfigMode reconfigMode = ReconfigMode::Dynamic;
  UpdateStrategy updateStrategy = UpdateStrategy::LeaderLast;
  // The first myid ever issued; new myids are max(myidBase, highest issued + 1).
  int myidBase = 1;
  // Even voter counts tolerate no more failures than the odd count below them; they are
  // refused unless the user says so (BRIEF §2 rule 8).
  bool allowEvenVoters = false;
  // With 1 or 2 voters no voter can restart without losing the quorum for a moment. By
  // default the planner refuses such restarts (Blocked, with the reason); set this to accept
  // that outage (no data is lost: the member restarts with its own data).
  bool tolerateUnavoidableOutage = false;
  // Myids to retire: the member holding one is replaced in its slot by a new, larger myid
  // with an empty data dir (seed 000 §5). Since myids are never reused, the request is
  // satisfied once no member holds these myids, and it can stay in the spec harmlessly.
  std::vector<int> retireMyids;
};

}  // namespace zkop::planner
