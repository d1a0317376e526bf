#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "operator/runtime/error.h"

namespace zkop::runtime {

// A tiny HTTP/1.1 server for the probe and metrics endpoints (/healthz, /readyz, /metrics):
// GET only, one request per connection, handled on the server's own thread. Not a general
// server — the endpoints are cheap and scraped a few times a minute.
//
// Thread-safety: handle() before start(); start()/stop() from one thread; handlers run on the
// server thread and must be thread-safe with respect to the rest of the program.
class HttpServer {
 public:
  struct Response {
    int status = 200;
    std::string content_type = "text/plain; charset=utf-8";
    std::string body;
  };
  // path (without query) → handler(query string)
  using Handler = std::function<Response(const std::string& query)>;

  HttpServer() = default;
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  void handle(const std::string& path, Handler handler);

  // Binds "host:port", ":port" (all interfaces) or "port"; port 0 picks a free one.
  Result<void> start(const std::string& bind_address);
  void stop();
  int port() const { return port_; }

 private:
  void serve();
  void serveOne(int fd);

  std::map<std::string, Handler> handlers_;
  int listen_fd_ = -1;
  int wake_pipe_[2] = {-1, -1};
  int port_ = 0;
  std::thread thread_;
};

// /healthz and /readyz in the Kubernetes format: "ok" with 200 when every named check passes,
// otherwise 500 listing "[-]name failed: reason"; "?verbose" lists every check.
//
// Thread-safety: add checks before serving; run() is safe from any thread.
class HealthChecks {
 public:
  // nullopt = healthy; otherwise why not.
  using Check = std::function<std::optional<std::string>()>;
  void add(std::string name, Check check);
  HttpServer::Response run(const std::string& query) const;

 private:
  std::vector<std::pair<std::string, Check>> checks_;
};

}  // namespace zkop::runtime
