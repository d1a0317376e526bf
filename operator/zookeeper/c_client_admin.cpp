#include "operator/zookeeper/c_client_admin.h"

#include <zookeeper/zookeeper.h>

#include <algorithm>
#include <thread>

namespace zkop::zookeeper {
namespace {

// Whether `config` shows every change `request` asked for.
bool applied(const ReconfigRequest& request, const render::DynamicConfig& config) {
  for (int myid : request.leaving) {
    if (config.find(myid) != nullptr) return false;
  }
  for (const auto& server : request.joining) {
    const auto* now = config.find(server.myid);
    if (now == nullptr || now->role != server.role) return false;
  }
  return true;
}

}  // namespace

CClientAdmin::CClientAdmin(std::unique_ptr<Session> session) : session_(std::move(session)) {}
CClientAdmin::~CClientAdmin() = default;

std::expected<std::unique_ptr<CClientAdmin>, ZkError> CClientAdmin::connect(
    const SessionConfig& config) {
  auto session = Session::connect(config);
  if (!session) return std::unexpected(session.error());
  return std::unique_ptr<CClientAdmin>(new CClientAdmin(std::move(*session)));
}

std::expected<render::DynamicConfig, ZkError> CClientAdmin::config() {
  std::string buffer(64 * 1024, '\0');
  int length = static_cast<int>(buffer.size());
  Stat stat{};
  const int rc = zoo_getconfig(session_->handle(), 0, buffer.data(), &length, &stat);
  if (rc != ZOK) return std::unexpected(errorOf(rc, "read /zookeeper/config"));
  buffer.resize(length > 0 ? static_cast<std::size_t>(length) : 0);
  auto parsed = render::DynamicConfig::parse(buffer);
  if (!parsed)
    return std::unexpected(ZkError{ZkError::Kind::Other, "/zookeeper/config: " + parsed.error()});
  return *parsed;
}

std::expected<render::DynamicConfig, ZkError> CClientAdmin::reconfig(
    const ReconfigRequest& request) {
  std::string joining;
  for (const auto& server : request.joining) {
    joining += (joining.empty() ? "" : ",") + server.line();
  }
  std::string leaving;
  for (int myid : request.leaving) leaving += (leaving.empty() ? "" : ",") + std::to_string(myid);
  std::string buffer(64 * 1024, '\0');
  int length = static_cast<int>(buffer.size());
  Stat stat{};
  const auto version =
      request.expectedVersion == 0 ? -1 : static_cast<int64_t>(request.expectedVersion);
  const int rc = zoo_reconfig(session_->handle(), joining.empty() ? nullptr : joining.c_str(),
                              leaving.empty() ? nullptr : leaving.c_str(), nullptr, version,
                              buffer.data(), &length, &stat);
  if (rc == ZCONNECTIONLOSS) {
    // Removing the leader (or the server we talk to) makes the followers re-sync with the
    // new leader and drop client connections: the reconfig may well have committed. Find
    // out from the committed config instead of guessing.
    // The disconnect may be reported after this call returned, so keep reading until the
    // session answers again or the connect timeout passes.
    const auto deadline = std::chrono::steady_clock::now() + session_->connectTimeout();
    while (std::chrono::steady_clock::now() < deadline && session_->waitConnected()) {
      auto now = config();
      if (!now && now.error().kind == ZkError::Kind::Connection) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));  // back off, then re-read
        continue;
      }
      if (now && now->version > static_cast<std::uint64_t>(std::max<int64_t>(version, 0)) &&
          applied(request, *now)) {
        return *now;
      }
      break;
    }
  }
  if (rc != ZOK) {
    return std::unexpected(errorOf(rc, "reconfig (joining: " + (joining.empty() ? "-" : joining) +
                                           "; leaving: " + (leaving.empty() ? "-" : leaving) +
                                           ")"));
  }
  buffer.resize(length > 0 ? static_cast<std::size_t>(length) : 0);
  auto parsed = render::DynamicConfig::parse(buffer);
  if (!parsed)
    return std::unexpected(ZkError{ZkError::Kind::Other, "reconfig result: " + parsed.error()});
  return *parsed;
}

std::expected<void, ZkError> CClientAdmin::writeBarrier() {
  // setData bumps the znode's version through the leader and a quorum; create it first.
  static const char payload[] = "zkop";
  int rc = zoo_set(session_->handle(), kBarrierPath, payload, sizeof payload - 1, -1);
  if (rc == ZNONODE) {
    rc = zoo_create(session_->handle(), kBarrierPath, payload, sizeof payload - 1,
                    &ZOO_OPEN_ACL_UNSAFE, ZOO_PERSISTENT, nullptr, 0);
    if (rc == ZNODEEXISTS)
      rc = zoo_set(session_->handle(), kBarrierPath, payload, sizeof payload - 1, -1);
  }
  if (rc != ZOK)
    return std::unexpected(errorOf(rc, "write barrier on " + std::string(kBarrierPath)));
  return {};
}

}  // namespace zkop::zookeeper
