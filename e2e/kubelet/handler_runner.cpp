#include "e2e/kubelet/handler_runner.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

#include "e2e/kubelet/unique_fd.h"

namespace zkop::sandbox::kubelet {
namespace {

using Clock = std::chrono::steady_clock;

int remainingMs(Clock::time_point deadline) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return static_cast<int>(std::max<long long>(left, 0));
}

// A connected socket, or a message.
std::expected<UniqueFd, std::string> connectTo(const std::string& host, int port,
                                               Clock::time_point deadline) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  if (inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) {
    return std::unexpected("not an IPv4 address: " + host);
  }
  UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd) return std::unexpected(std::string("socket: ") + std::strerror(errno));
  const std::string where = host + ":" + std::to_string(port);
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    if (errno != EINPROGRESS) {
      return std::unexpected("dial " + where + ": " + std::strerror(errno));
    }
    pollfd p{fd.get(), POLLOUT, 0};
    if (::poll(&p, 1, remainingMs(deadline)) <= 0) {
      return std::unexpected("dial " + where + ": timeout");
    }
    int err = 0;
    socklen_t len = sizeof err;
    ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) return std::unexpected("dial " + where + ": " + std::strerror(err));
  }
  return fd;
}

HandlerOutcome httpGet(const HttpGetAction& get, const std::string& host,
                       Clock::time_point deadline) {
  auto fd = connectTo(host, get.port, deadline);
  if (!fd) return {false, fd.error()};
  std::string request = "GET " + get.path + " HTTP/1.1\r\nHost: " + host + ":" +
                        std::to_string(get.port) +
                        "\r\nUser-Agent: kube-probe/1.32\r\nAccept: */*\r\nConnection: close\r\n";
  for (const auto& [name, value] : get.headers) request += name + ": " + value + "\r\n";
  request += "\r\n";
  std::size_t sent = 0;
  while (sent < request.size()) {
    pollfd p{fd->get(), POLLOUT, 0};
    if (::poll(&p, 1, remainingMs(deadline)) <= 0) return {false, "HTTP request: timeout"};
    const ssize_t n = ::send(fd->get(), request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return {false, std::string("HTTP request: ") + std::strerror(errno)};
    sent += static_cast<std::size_t>(n);
  }
  std::string answer;
  while (answer.find("\r\n") == std::string::npos) {
    pollfd p{fd->get(), POLLIN, 0};
    if (::poll(&p, 1, remainingMs(deadline)) <= 0) return {false, "HTTP response: timeout"};
    char buf[1024];
    const ssize_t n = ::recv(fd->get(), buf, sizeof buf, 0);
    if (n <= 0) break;
    answer.append(buf, static_cast<std::size_t>(n));
  }
  // "HTTP/1.1 200 OK"
  const auto line = answer.substr(0, answer.find("\r\n"));
  const auto space = line.find(' ');
  if (!line.starts_with("HTTP/") || space == std::string::npos) {
    return {false, "HTTP response: malformed status line '" + line + "'"};
  }
  const int code = std::atoi(line.c_str() + space + 1);
  if (code >= 200 && code < 400) return {true, line};
  return {false, "HTTP probe failed with statuscode: " + std::to_string(code)};
}

}  // namespace

HandlerOutcome runHandler(const Handler& handler, const HandlerContext& context,
                          std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  if (const auto* tcp = std::get_if<TcpSocketAction>(&handler)) {
    auto fd = connectTo(tcp->host.empty() ? context.podIP : tcp->host, tcp->port, deadline);
    return fd ? HandlerOutcome{true, {}} : HandlerOutcome{false, fd.error()};
  }
  if (const auto* get = std::get_if<HttpGetAction>(&handler)) {
    return httpGet(*get, get->host.empty() ? context.podIP : get->host, deadline);
  }
  const auto& exec = std::get<ExecAction>(handler);
  ExecRequest request = context.execBase;
  request.argv = exec.command;
  auto outcome = execInContainer(context.containerPid, request, timeout);
  if (!outcome) return {false, outcome.error().message()};
  if (outcome->timedOut) {
    return {false, "command timed out after " + std::to_string(timeout.count()) + "ms"};
  }
  if (outcome->status.exitCode != 0) {
    return {false,
            "exit code " + std::to_string(outcome->status.exitCode) + ": " + outcome->output};
  }
  return {true, outcome->output};
}

}  // namespace zkop::sandbox::kubelet
