#pragma once

#include "controllers/observe/cluster_facts.h"
#include "controllers/planner/observed_ensemble.h"

namespace zkop::observe {

// The planner's view of the ensemble from one pass of facts:
// - members come from the operator's pod -> myid record (status.myids) and the spec's
//   external members; a slot is a pool + ordinal;
// - up = answered srvr; synced = serving as follower or observer (a learner serves only
//   once it has synced with the leader), the leader is synced by definition;
// - the role a member runs with is its role in the config it runs with (`conf`), and a
//   member absent from the committed config runs as an observer joiner;
// - the version is the pod's version label (what the pod was created to run), so that a
//   member counts as upgraded exactly when its pod was recreated from the new template;
// - the data a member holds belongs to the myid `conf` reports; for a member that is not
//   running, to its recorded myid if its volume still exists, else to nobody.
planner::ObservedEnsemble buildObservedEnsemble(const ClusterFacts& facts);

// Myids known to have served: those recorded before (facts.servedMyids) and those serving
// now as themselves (`conf` names the myid the probe was made for). The start script
// refuses to start one of them on a volume without its data.
std::set<int> servedMyids(const ClusterFacts& facts);

// Myids whose data is lost: recorded ones, and served myids whose pod's start script refused
// the volume (its container is down with render::kDataLostExitCode) and that do not answer.
// start.sh only refuses a served myid, so a refusal by a pod now mapped to a myid that never
// served is an earlier identity's, not this one's.
std::set<int> lostDataMyids(const ClusterFacts& facts);

}  // namespace zkop::observe
