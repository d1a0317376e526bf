#pragma once

// Everything the observer gathered about one ZookeeperCluster in one pass: Kubernetes
// objects (reduced to what matters) and each member's answers. Probe failures are data: a
// member that did not answer has `answered == false`, nothing more.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "controllers/api/cluster_types.h"
#include "controllers/observe/server_stats.h"
#include "controllers/render/dynamic_config.h"

namespace zkop::observe {

struct PodFacts {
  bool terminating = false;
  bool ready = false;
  std::string ip{};
  std::string version{};  // the app.kubernetes.io/version label it was made with
  std::optional<std::int64_t> listVersion{};  // Static: zkop.io/config-version it was made with
  // Parked by the operator (no myid in the ConfigMap's map): the pod exists but its member
  // does not run, so it counts as absent.
  bool parked = false;
  // Its container is not running (waiting out a crash back-off, or exited).
  bool containerDown = false;
  // Its start script refused to start (render::kDataLostExitCode, now or last time): the
  // member's myid has served and the data volume does not hold its data.
  bool dataLost = false;
};

struct MemberProbe {
  bool answered = false;  // srvr answered at all
  ServerStatus status;    // srvr
  ServerConf conf;        // conf: who it runs as and with which list
};

struct ClusterFacts {
  api::ZookeeperCluster cluster;         // defaulted; status as last written
  std::map<std::string, PodFacts> pods;  // by pod name
  std::set<std::string> claims;          // names of the data PVCs that exist
  std::map<int, MemberProbe> probes;     // by myid, managed and external members
  // Dynamic: the committed config as the ensemble reports it (leader's view); none when no
  // member answered. Static: unused (the list is the ConfigMap's).
  std::optional<render::DynamicConfig> committed;
  // Static: the list in the ConfigMap and the one before it (during a roll).
  std::optional<render::DynamicConfig> writtenList;
  std::optional<render::DynamicConfig> previousList;
  // The config version under which the operator's last write barrier committed (status).
  std::int64_t barrierConfigVersion = 0;
  // Myids the operator has seen serve (status.members: synced, or a zxid past 0; and the
  // ConfigMap's served-myids, which keeps them while their member is down). When set,
  // a member that is not running holds data only if it is among them: a volume its member
  // never served from is empty of acknowledged writes (a fresh ensemble's first start).
  std::optional<std::set<int>> servedMyids;
  // Myids whose data the operator found lost before (the ConfigMap's lost-myids): their start
  // refusals are not visible any more once their pods are parked, the record stays.
  std::set<int> recordedLostMyids;
};

}  // namespace zkop::observe
