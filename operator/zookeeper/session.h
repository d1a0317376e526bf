#pragma once

#include <chrono>
#include <condition_variable>
#include <expected>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "operator/zookeeper/zk_error.h"

typedef struct _zhandle zhandle_t;

namespace zkop::zookeeper {

struct SuperUser {
  std::string user = "super";
  std::string password;
};

struct SessionConfig {
  std::string connectString;  // host:port[,host:port...]
  std::chrono::milliseconds sessionTimeout{10000};
  std::chrono::milliseconds connectTimeout{15000};
  // Digest credentials to add after connecting; none: anonymous.
  std::optional<SuperUser> superUser;
};

// One ZooKeeper client session (libzookeeper_mt), closed on destruction. The C client
// reconnects by itself while the session lives; waitConnected() waits for that.
class Session {
 public:
  // Connects (and authenticates) or fails within config.connectTimeout.
  static std::expected<std::unique_ptr<Session>, ZkError> connect(const SessionConfig& config);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  zhandle_t* handle() const { return handle_; }
  bool waitConnected();
  std::chrono::milliseconds connectTimeout() const { return connectTimeout_; }

 private:
  Session() = default;
  static void watcher(zhandle_t*, int type, int state, const char*, void* context);
  static void authCompletion(int rc, const void* data);

  std::mutex mutex_;
  std::condition_variable changed_;
  int state_ = 0;
  bool authDone_ = false;
  int authResult_ = 0;
  zhandle_t* handle_ = nullptr;  // owned: zookeeper_close in the destructor
  std::chrono::milliseconds connectTimeout_{15000};
};

}  // namespace zkop::zookeeper
