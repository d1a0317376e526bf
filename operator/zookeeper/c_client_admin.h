#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "operator/zookeeper/session.h"
#include "operator/zookeeper/zookeeper_admin.h"

namespace zkop::zookeeper {

// ZooKeeperAdmin on the ZooKeeper C client (libzookeeper_mt). One session per object;
// not thread-safe (one caller at a time), closed on destruction.
class CClientAdmin final : public ZooKeeperAdmin {
 public:
  // Connects (and authenticates) or fails within config.connectTimeout.
  static std::expected<std::unique_ptr<CClientAdmin>, ZkError> connect(const SessionConfig& config);
  ~CClientAdmin() override;
  CClientAdmin(const CClientAdmin&) = delete;
  CClientAdmin& operator=(const CClientAdmin&) = delete;

  std::expected<render::DynamicConfig, ZkError> config() override;
  std::expected<render::DynamicConfig, ZkError> reconfig(const ReconfigRequest& request) override;
  std::expected<void, ZkError> writeBarrier() override;

  // The znode the barrier writes to.
  static constexpr const char* kBarrierPath = "/zkop-barrier";

 private:
  explicit CClientAdmin(std::unique_ptr<Session> session);
  std::unique_ptr<Session> session_;
};

}  // namespace zkop::zookeeper
