#pragma once

// The sandbox's StatefulSet controller, decision part: from a StatefulSet and the pods and
// claims it owns, what to create, delete and report. Pure (JSON in, actions out), so every
// rule of the Kubernetes StatefulSet controller it imitates is unit-tested without a server:
// pods <set>-<ordinal> with hostname/subdomain; claims <template>-<pod> that outlive the pods
// unless persistentVolumeClaimRetentionPolicy says otherwise; OrderedReady (one pod at a
// time, lowest first up, highest first down, each waiting for its predecessors to be ready)
// and Parallel; OnDelete (a deleted pod comes back at the update revision) and RollingUpdate
// with partition (highest ordinal first, one at a time, waiting for ready); revisions and
// status as `kubectl rollout status` reads them.

#include <set>
#include <string>
#include <vector>

#include "controllers/api/json.h"

namespace zkop::sandbox {

struct StatefulSetActions {
  std::vector<Json> createPods;
  std::vector<std::string> deletePods;
  std::vector<Json> createClaims;
  std::vector<std::string> deleteClaims;
  Json status;  // the StatefulSet's new status
};

// `pods`: the pods the set owns (by ownerReference), terminating ones included.
// `claims`: names of the PVCs that exist in the namespace.
StatefulSetActions syncStatefulSet(const Json& statefulSet, const std::vector<Json>& pods,
                                   const std::set<std::string>& claims);

// "<set>-<10 hex digits>": the revision of a pod template (controller-revision-hash label).
std::string templateRevision(const Json& statefulSet);

// Pod is Running with the Ready condition True.
bool podRunningAndReady(const Json& pod);

}  // namespace zkop::sandbox
