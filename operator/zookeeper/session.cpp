#include "operator/zookeeper/session.h"

#include <zookeeper/zookeeper.h>

namespace zkop::zookeeper {
namespace {

// The C client logs at INFO to stderr by default; the operator only wants its warnings.
void quietClientLogs() {
  static std::once_flag once;
  std::call_once(once, [] { zoo_set_debug_level(ZOO_LOG_LEVEL_WARN); });
}

}  // namespace

ZkError errorOf(int rc, const std::string& what) {
  ZkError e;
  e.message = what + ": " + zerror(rc);
  switch (rc) {
    case ZNOAUTH:
    case ZAUTHFAILED:
      e.kind = ZkError::Kind::NoAuth;
      break;
    case ZBADVERSION:
      e.kind = ZkError::Kind::BadVersion;
      break;
    case ZRECONFIGINPROGRESS:
      e.kind = ZkError::Kind::ReconfigInProgress;
      break;
    case ZNEWCONFIGNOQUORUM:
      e.kind = ZkError::Kind::NoQuorum;
      break;
    case ZRECONFIGDISABLED:
      e.kind = ZkError::Kind::ReconfigDisabled;
      break;
    case ZNONODE:
      e.kind = ZkError::Kind::NoNode;
      break;
    case ZNODEEXISTS:
      e.kind = ZkError::Kind::NodeExists;
      break;
    case ZCONNECTIONLOSS:
    case ZSESSIONEXPIRED:
    case ZINVALIDSTATE:
    case ZOPERATIONTIMEOUT:
      e.kind = ZkError::Kind::Connection;
      break;
    default:
      e.kind = ZkError::Kind::Other;
  }
  return e;
}

void Session::watcher(zhandle_t*, int type, int state, const char*, void* context) {
  if (type != ZOO_SESSION_EVENT) return;
  auto* self = static_cast<Session*>(context);
  std::lock_guard lock(self->mutex_);
  self->state_ = state;
  self->changed_.notify_all();
}

void Session::authCompletion(int rc, const void* data) {
  auto* self = static_cast<Session*>(const_cast<void*>(data));
  std::lock_guard lock(self->mutex_);
  self->authDone_ = true;
  self->authResult_ = rc;
  self->changed_.notify_all();
}

Session::~Session() {
  if (handle_ != nullptr) zookeeper_close(handle_);
}

bool Session::waitConnected() {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, connectTimeout_, [&] { return state_ == ZOO_CONNECTED_STATE; });
}

std::expected<std::unique_ptr<Session>, ZkError> Session::connect(const SessionConfig& config) {
  quietClientLogs();
  std::unique_ptr<Session> session(new Session());
  session->connectTimeout_ = config.connectTimeout;
  session->handle_ =
      zookeeper_init(config.connectString.c_str(), &Session::watcher,
                     static_cast<int>(config.sessionTimeout.count()), nullptr, session.get(), 0);
  if (session->handle_ == nullptr) {
    return std::unexpected(
        ZkError{ZkError::Kind::Connection, "cannot create a session for " + config.connectString});
  }
  if (!session->waitConnected()) {
    return std::unexpected(ZkError{ZkError::Kind::Connection,
                                   "no session with " + config.connectString + " within " +
                                       std::to_string(config.connectTimeout.count()) + " ms"});
  }
  if (config.superUser) {
    const auto credentials = config.superUser->user + ":" + config.superUser->password;
    const int rc =
        zoo_add_auth(session->handle_, "digest", credentials.data(),
                     static_cast<int>(credentials.size()), &Session::authCompletion, session.get());
    if (rc != ZOK) return std::unexpected(errorOf(rc, "add digest auth"));
    std::unique_lock lock(session->mutex_);
    if (!session->changed_.wait_for(lock, config.connectTimeout,
                                    [&] { return session->authDone_; })) {
      return std::unexpected(ZkError{ZkError::Kind::Connection, "digest auth got no answer"});
    }
    if (session->authResult_ != ZOK) {
      return std::unexpected(
          errorOf(session->authResult_, "digest auth as " + config.superUser->user));
    }
  }
  return session;
}

}  // namespace zkop::zookeeper
