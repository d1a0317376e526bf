#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace zkop::runtime::testing {

// A plain-HTTP server on 127.0.0.1:<ephemeral> that answers each connection with the next
// scripted reply, for testing the real transport over real sockets. A reply is a list of
// byte chunks written in order; with hold_open the connection then stays open until the
// client closes it (a quiet watch that the client cancels).
class LoopbackServer {
 public:
  struct Reply {
    std::vector<std::string> writes;
    bool hold_open = false;
  };

  LoopbackServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    ::listen(fd_, 8);
    socklen_t len = sizeof(addr);
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~LoopbackServer() {
    stopping_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }

  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  void script(Reply reply) {
    std::lock_guard lock(mutex_);
    replies_.push_back(std::move(reply));
  }
  // A complete response with Content-Length.
  static Reply plain(int status, const std::string& body, const std::string& extra_headers = "") {
    return Reply{{"HTTP/1.1 " + std::to_string(status) +
                  " X\r\nContent-Type: application/json\r\n" + extra_headers + "Content-Length: " +
                  std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body},
                 false};
  }
  // A chunked response, one chunk per element.
  static Reply chunked(const std::vector<std::string>& chunks, bool hold_open = false) {
    Reply r;
    r.writes.push_back(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
    for (const auto& c : chunks) {
      char size[32];
      std::snprintf(size, sizeof(size), "%zx\r\n", c.size());
      r.writes.push_back(size + c + "\r\n");
    }
    if (!hold_open) r.writes.push_back("0\r\n\r\n");
    r.hold_open = hold_open;
    return r;
  }

  std::vector<std::string> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  // Waits until the client has closed a held-open connection (evidence of cancellation).
  void waitForClientClose() {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [&] { return closed_by_client_ > 0; });
  }

 private:
  void serve() {
    while (!stopping_) {
      int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      std::string request = readRequest(c);
      Reply reply;
      {
        std::lock_guard lock(mutex_);
        requests_.push_back(request);
        if (replies_.empty()) {
          reply = plain(599, "unscripted");
        } else {
          reply = std::move(replies_.front());
          replies_.pop_front();
        }
      }
      for (const auto& w : reply.writes) (void)!::send(c, w.data(), w.size(), MSG_NOSIGNAL);
      if (reply.hold_open) {
        char buf[256];
        while (::recv(c, buf, sizeof(buf), 0) > 0) {
        }
        std::lock_guard lock(mutex_);
        ++closed_by_client_;
        cv_.notify_all();
      }
      ::close(c);
    }
  }

  static std::string readRequest(int c) {
    std::string data;
    char buf[4096];
    size_t header_end = std::string::npos;
    while ((header_end = data.find("\r\n\r\n")) == std::string::npos) {
      ssize_t n = ::recv(c, buf, sizeof(buf), 0);
      if (n <= 0) return data;
      data.append(buf, static_cast<size_t>(n));
    }
    size_t length = 0;
    std::string lower = data.substr(0, header_end);
    for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    // cpprestsdk writes "Content-Length:26" (no space); accept either.
    if (auto pos = lower.find("content-length:"); pos != std::string::npos) {
      length = std::stoul(lower.substr(pos + 15));
    }
    while (data.size() < header_end + 4 + length) {
      ssize_t n = ::recv(c, buf, sizeof(buf), 0);
      if (n <= 0) break;
      data.append(buf, static_cast<size_t>(n));
    }
    return data;
  }

  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<Reply> replies_;
  std::vector<std::string> requests_;
  int closed_by_client_ = 0;
};

}  // namespace zkop::runtime::testing
