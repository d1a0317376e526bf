#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "e2e/sandbox/api/api_server.h"
#include "e2e/sandbox/server/tls_material.h"

namespace zkop::sandbox {

struct HttpServerConfig {
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;          // 0: the kernel picks one
  std::optional<TlsMaterial> tls;  // none: plain HTTP
  // Called with "METHOD PATH -> STATUS" for every request (logging).
  std::function<void(const std::string&)> log;
};

// HTTP/1.1 (over TLS unless configured otherwise) in front of an ApiServer, one thread per
// connection; watches are streamed as chunked newline-delimited JSON.
class HttpServer {
 public:
  HttpServer(ApiServer& api, HttpServerConfig config);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and starts accepting; returns the bound port.
  std::uint16_t start();
  // Stops accepting, ends every connection and waits for their threads.
  void stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace zkop::sandbox
