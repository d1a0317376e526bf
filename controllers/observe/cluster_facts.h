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
  std::string ip;
  std::string version;                      // the app.kubernetes.io/version label it was made with
  std::optional<std::int64_t> listVersion;  // Static: zkop.io/config-version it was made with
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
};

}  // namespace zkop::observe
