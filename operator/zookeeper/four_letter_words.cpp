#include "operator/zookeeper/four_letter_words.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace zkop::zookeeper {
namespace {

using Clock = std::chrono::steady_clock;

struct AddrInfoDeleter {
  void operator()(addrinfo* info) const { freeaddrinfo(info); }
};

class Socket {
 public:
  explicit Socket(int fd) : fd_(fd) {}
  ~Socket() {
    if (fd_ >= 0) close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

int remainingMs(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

// Waits until `fd` is ready for `events` or the deadline passes.
bool waitFor(int fd, short events, Clock::time_point deadline) {
  pollfd p{fd, events, 0};
  for (;;) {
    const int n = poll(&p, 1, remainingMs(deadline));
    if (n > 0) return true;
    if (n == 0) return false;
    if (errno != EINTR) return false;
  }
}

}  // namespace

std::expected<std::string, std::string> askFourLetterWord(const std::string& host, int port,
                                                          std::string_view word,
                                                          std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  const auto where = host + ":" + std::to_string(port);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* raw = nullptr;
  if (int rc = getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &raw); rc != 0) {
    return std::unexpected(where + ": cannot resolve: " + gai_strerror(rc));
  }
  std::unique_ptr<addrinfo, AddrInfoDeleter> addresses(raw);

  Socket socket(::socket(addresses->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (socket.fd() < 0) return std::unexpected(where + ": socket: " + std::strerror(errno));
  if (connect(socket.fd(), addresses->ai_addr, addresses->ai_addrlen) != 0 &&
      errno != EINPROGRESS) {
    return std::unexpected(where + ": connect: " + std::strerror(errno));
  }
  if (!waitFor(socket.fd(), POLLOUT, deadline))
    return std::unexpected(where + ": connect timed out");
  int error = 0;
  socklen_t length = sizeof error;
  getsockopt(socket.fd(), SOL_SOCKET, SO_ERROR, &error, &length);
  if (error != 0) return std::unexpected(where + ": connect: " + std::strerror(error));

  if (send(socket.fd(), word.data(), word.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(word.size())) {
    return std::unexpected(where + ": send: " + std::strerror(errno));
  }
  // The server answers and closes the connection: read to EOF.
  std::string answer;
  char buffer[4096];
  for (;;) {
    if (!waitFor(socket.fd(), POLLIN, deadline)) {
      return std::unexpected(where + ": no complete answer to " + std::string(word) + " in time");
    }
    const auto n = recv(socket.fd(), buffer, sizeof buffer, 0);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return std::unexpected(where + ": recv: " + std::strerror(errno));
    }
    answer.append(buffer, static_cast<std::size_t>(n));
  }
  return answer;
}

}  // namespace zkop::zookeeper
