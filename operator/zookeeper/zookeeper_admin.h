#pragma once

// The operator's administrative session with a ZooKeeper ensemble: read the committed
// config, change membership one server at a time, and issue a write barrier. An interface,
// so that the actuator can be tested against a double; CClientAdmin is the implementation.

#include <expected>
#include <string>
#include <vector>

#include "controllers/render/dynamic_config.h"
#include "operator/zookeeper/zk_error.h"

namespace zkop::zookeeper {

// An incremental reconfig: at most a few servers joining or leaving; the rest unchanged.
struct ReconfigRequest {
  std::vector<render::ServerEntry> joining;  // added, or changed role
  std::vector<int> leaving;                  // myids removed
  // Refuse if the committed config is not at this version (0: do not check).
  std::uint64_t expectedVersion = 0;
};

class ZooKeeperAdmin {
 public:
  virtual ~ZooKeeperAdmin() = default;

  // The committed config (`/zookeeper/config`), as the connected server has it.
  virtual std::expected<render::DynamicConfig, ZkError> config() = 0;
  // One reconfig; returns the new committed config. When the connection drops during the
  // call (removing the leader does that), the outcome is read back from the committed
  // config: Connection is returned only if the change is not visible there.
  virtual std::expected<render::DynamicConfig, ZkError> reconfig(
      const ReconfigRequest& request) = 0;
  // A write that must commit through the current quorum: proof the new config works
  // before servers it removed are stopped (BRIEF §2 rule 6).
  virtual std::expected<void, ZkError> writeBarrier() = 0;
};

}  // namespace zkop::zookeeper
