#pragma once

// One pass of observation for one ZookeeperCluster: the Kubernetes objects it owns (read
// with quorum LISTs, not from the informer caches, so a step is never planned on a cache that
// has not yet seen the previous step) and every member's own word (`srvr`, `conf`), probed
// in parallel with a bounded timeout so that a frozen member cannot stall the work queue.

#include <chrono>
#include <expected>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "controllers/api/cluster_types.h"
#include "controllers/observe/cluster_facts.h"
#include "controllers/planner/desired_ensemble.h"
#include "operator/runtime/client.h"
#include "operator/runtime/controller.h"

namespace zkop::reconciler {

// What the actuator and the renderer need besides the planner's facts.
struct KubeState {
  std::map<std::string, Json> pods;            // by name
  std::map<std::string, int> statefulSetPods;  // spec.replicas by pool
  std::optional<Json> configMap;               // as it exists
  std::set<std::string> parkedPods;            // left out of the myid map
  std::set<std::string> answeringPods;         // pods whose ZooKeeper answered srvr
  std::set<int> listedMyids;                   // myids of every list in play
};

struct Observation {
  observe::ClusterFacts facts;
  KubeState kube;
};

struct ProbeConfig {
  std::chrono::milliseconds timeout{2000};  // per four-letter word
};

class ClusterObserver {
 public:
  ClusterObserver(std::shared_ptr<runtime::Client> client, ProbeConfig config = {});

  // `cluster` is defaulted and valid; `desired` is its planner view (parked pods depend on it).
  std::expected<Observation, runtime::ReconcileError> observe(
      const api::ZookeeperCluster& cluster, const planner::DesiredEnsemble& desired) const;

 private:
  std::shared_ptr<runtime::Client> client_;
  ProbeConfig config_;
};

}  // namespace zkop::reconciler
