#include "operator/runtime/http_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

namespace zkop::runtime {

namespace {

std::string reasonPhrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 500:
      return "Internal Server Error";
    default:
      return "Status";
  }
}

void writeAll(int fd, const std::string& data) {
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::send(fd, data.data() + off, data.size() - off, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    off += static_cast<size_t>(n);
  }
}

}  // namespace

HttpServer::~HttpServer() { stop(); }

void HttpServer::handle(const std::string& path, Handler handler) {
  handlers_[path] = std::move(handler);
}

Result<void> HttpServer::start(const std::string& bind_address) {
  std::string host;
  std::string port = bind_address;
  if (auto colon = bind_address.rfind(':'); colon != std::string::npos) {
    host = bind_address.substr(0, colon);
    port = bind_address.substr(colon + 1);
  }
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  if (int rc = getaddrinfo(host.empty() ? nullptr : host.c_str(), port.c_str(), &hints, &found);
      rc != 0) {
    return fail(ErrorCategory::kConfig,
                "bad bind address " + bind_address + ": " + gai_strerror(rc));
  }
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> guard(found, freeaddrinfo);
  int fd = ::socket(found->ai_family, found->ai_socktype | SOCK_CLOEXEC, found->ai_protocol);
  if (fd < 0) return fail(ErrorCategory::kConfig, std::string("socket: ") + std::strerror(errno));
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if (::bind(fd, found->ai_addr, found->ai_addrlen) != 0 || ::listen(fd, 16) != 0) {
    std::string why = std::strerror(errno);
    ::close(fd);
    return fail(ErrorCategory::kConfig, "cannot listen on " + bind_address + ": " + why);
  }
  sockaddr_storage bound{};
  socklen_t len = sizeof(bound);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &len);
  port_ = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                            : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  if (::pipe2(wake_pipe_, O_CLOEXEC) != 0) {
    ::close(fd);
    return fail(ErrorCategory::kConfig, std::string("pipe: ") + std::strerror(errno));
  }
  listen_fd_ = fd;
  thread_ = std::thread([this] { serve(); });
  return {};
}

void HttpServer::stop() {
  if (!thread_.joinable()) return;
  char byte = 1;
  (void)!::write(wake_pipe_[1], &byte, 1);
  thread_.join();
  ::close(listen_fd_);
  ::close(wake_pipe_[0]);
  ::close(wake_pipe_[1]);
  listen_fd_ = -1;
}

void HttpServer::serve() {
  for (;;) {
    std::array<pollfd, 2> fds{pollfd{listen_fd_, POLLIN, 0}, pollfd{wake_pipe_[0], POLLIN, 0}};
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents != 0) return;
    if (fds[0].revents == 0) continue;
    int client = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    serveOne(client);
    ::close(client);
  }
}

void HttpServer::serveOne(int fd) {
  // A slow or silent client must not block the probes for long.
  timeval timeout{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  std::string request;
  std::array<char, 2048> buf{};
  while (request.find("\r\n\r\n") == std::string::npos && request.size() < 16384) {
    ssize_t n = ::recv(fd, buf.data(), buf.size(), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    request.append(buf.data(), static_cast<size_t>(n));
  }
  auto line_end = request.find("\r\n");
  std::string line = request.substr(0, line_end);
  auto sp1 = line.find(' ');
  auto sp2 = line.find(' ', sp1 == std::string::npos ? 0 : sp1 + 1);
  Response response{404, "text/plain; charset=utf-8", "404 page not found\n"};
  if (sp1 == std::string::npos || sp2 == std::string::npos) {
    response = {400, "text/plain; charset=utf-8", "bad request\n"};
  } else {
    std::string method = line.substr(0, sp1);
    std::string target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    std::string path = target.substr(0, target.find('?'));
    std::string query =
        target.find('?') == std::string::npos ? "" : target.substr(target.find('?') + 1);
    if (auto it = handlers_.find(path); it != handlers_.end()) {
      if (method != "GET" && method != "HEAD") {
        response = {405, "text/plain; charset=utf-8", "method not allowed\n"};
      } else {
        try {
          response = it->second(query);
        } catch (const std::exception& e) {
          response = {500, "text/plain; charset=utf-8", std::string(e.what()) + "\n"};
        }
        if (method == "HEAD") response.body.clear();
      }
    }
  }
  std::string out = "HTTP/1.1 " + std::to_string(response.status) + " " +
                    reasonPhrase(response.status) + "\r\nContent-Type: " + response.content_type +
                    "\r\nContent-Length: " + std::to_string(response.body.size()) +
                    "\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n" +
                    response.body;
  writeAll(fd, out);
}

void HealthChecks::add(std::string name, Check check) {
  checks_.emplace_back(std::move(name), std::move(check));
}

HttpServer::Response HealthChecks::run(const std::string& query) const {
  const bool verbose = query.find("verbose") != std::string::npos;
  std::string report;
  bool healthy = true;
  for (const auto& [name, check] : checks_) {
    auto failure = check();
    if (failure) {
      healthy = false;
      report += "[-]" + name + " failed: " + *failure + "\n";
    } else {
      report += "[+]" + name + " ok\n";
    }
  }
  if (healthy && !verbose) return {200, "text/plain; charset=utf-8", "ok"};
  report += healthy ? "check passed\n" : "check failed\n";
  return {healthy ? 200 : 500, "text/plain; charset=utf-8", report};
}

}  // namespace zkop::runtime
