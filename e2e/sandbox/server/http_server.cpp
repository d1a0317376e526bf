#include "e2e/sandbox/server/http_server.h"

#include <poll.h>
#include <sys/socket.h>

#include <chrono>
#include <list>
#include <mutex>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace zkop::sandbox {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;

namespace {

std::string percent_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      const std::string hex(s.substr(i + 1, 2));
      char* end = nullptr;
      const long v = std::strtol(hex.c_str(), &end, 16);
      if (end == hex.c_str() + 2) {
        out += static_cast<char>(v);
        i += 2;
        continue;
      }
    }
    out += (plus_is_space && s[i] == '+') ? ' ' : s[i];
  }
  return out;
}

ApiRequest to_api_request(const http::request<http::string_body>& req) {
  ApiRequest r;
  r.method = std::string(req.method_string());
  const std::string_view target(req.target().data(), req.target().size());
  const std::size_t q = target.find('?');
  r.path = percent_decode(target.substr(0, q), false);
  if (q != std::string_view::npos) {
    std::string_view query = target.substr(q + 1);
    while (!query.empty()) {
      const std::size_t amp = query.find('&');
      const std::string_view pair = query.substr(0, amp);
      const std::size_t eq = pair.find('=');
      r.query[percent_decode(pair.substr(0, eq), true)] =
          eq == std::string_view::npos ? "" : percent_decode(pair.substr(eq + 1), true);
      if (amp == std::string_view::npos) break;
      query.remove_prefix(amp + 1);
    }
  }
  r.content_type = std::string(req[http::field::content_type]);
  r.accept = std::string(req[http::field::accept]);
  r.authorization = std::string(req[http::field::authorization]);
  r.body = req.body();
  return r;
}

bool peer_gone(int fd) {
  pollfd p{fd, POLLRDHUP, 0};
  return ::poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR | POLLNVAL)) != 0;
}

}  // namespace

class HttpServer::Impl {
 public:
  Impl(ApiServer& api, HttpServerConfig config) : api_(api), config_(std::move(config)) {
    if (config_.tls) {
      tls_.emplace(ssl::context::tls_server);
      tls_->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                        ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
      tls_->use_certificate_chain(net::buffer(config_.tls->server_cert_pem));
      tls_->use_private_key(net::buffer(config_.tls->server_key_pem), ssl::context::pem);
    }
  }

  std::uint16_t start() {
    const tcp::endpoint endpoint(net::ip::make_address(config_.address), config_.port);
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(tcp::acceptor::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen();
    const std::uint16_t port = acceptor_.local_endpoint().port();
    accept_thread_ = std::thread([this] { accept_loop(); });
    return port;
  }

  void stop() {
    if (stopping_.exchange(true)) return;
    // shutdown(2) wakes the blocking accept and reads of other threads; Asio objects are
    // not touched concurrently.
    ::shutdown(acceptor_.native_handle(), SHUT_RDWR);
    if (accept_thread_.joinable()) accept_thread_.join();
    {
      std::lock_guard lock(mutex_);
      for (auto& c : connections_) ::shutdown(c.fd, SHUT_RDWR);
    }
    api_.close_watches();
    std::list<Connection> finished;
    {
      std::lock_guard lock(mutex_);
      finished.swap(connections_);
    }
    for (auto& c : finished) {
      if (c.thread.joinable()) c.thread.join();
    }
  }

 private:
  struct Connection {
    int fd = -1;
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done = std::make_shared<std::atomic<bool>>(false);
  };

  void accept_loop() {
    while (!stopping_) {
      tcp::socket socket(io_);
      boost::system::error_code ec;
      acceptor_.accept(socket, ec);
      if (ec) {
        if (stopping_) break;
        continue;
      }
      std::lock_guard lock(mutex_);
      reap();
      if (stopping_) break;
      Connection& c = connections_.emplace_back();
      c.fd = socket.native_handle();
      c.thread = std::thread([this, s = std::move(socket), done = c.done]() mutable {
        serve_socket(std::move(s));
        done->store(true);
      });
    }
  }

  // Joins threads of closed connections (caller holds mutex_).
  void reap() {
    for (auto it = connections_.begin(); it != connections_.end();) {
      if (it->done->load()) {
        it->thread.join();
        it = connections_.erase(it);
      } else {
        ++it;
      }
    }
  }

  void serve_socket(tcp::socket socket) {
    const int fd = socket.native_handle();
    if (tls_) {
      ssl::stream<tcp::socket> stream(std::move(socket), *tls_);
      boost::system::error_code ec;
      stream.handshake(ssl::stream_base::server, ec);
      if (!ec) serve_guarded(stream, fd);
      // No close_notify exchange: a blocking SSL shutdown would wait on the peer.
      boost::system::error_code ignored;
      stream.next_layer().close(ignored);
    } else {
      serve_guarded(socket, fd);
      boost::system::error_code ignored;
      socket.close(ignored);
    }
  }

  // A failure on one connection (a watch event that cannot be encoded, say) closes that
  // connection only.
  template <typename Stream>
  void serve_guarded(Stream& stream, int fd) {
    try {
      serve(stream, fd);
    } catch (const std::exception& e) {
      if (config_.log) config_.log(std::string("connection closed after an error: ") + e.what());
    }
  }

  template <typename Stream>
  void serve(Stream& stream, int fd) {
    boost::beast::flat_buffer buffer;
    while (!stopping_) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(64 * 1024 * 1024);
      boost::system::error_code ec;
      http::read(stream, buffer, parser, ec);
      if (ec) return;
      const auto& req = parser.get();
      ApiResult result = api_.handle(to_api_request(req));
      if (auto* response = std::get_if<ApiResponse>(&result)) {
        log(req, response->status);
        http::response<http::string_body> res{static_cast<http::status>(response->status),
                                              req.version()};
        res.set(http::field::content_type, response->content_type);
        res.set(http::field::cache_control, "no-cache, private");
        for (const auto& [k, v] : response->headers) res.insert(k, v);
        res.keep_alive(req.keep_alive());
        res.body() = std::move(response->body);
        res.prepare_payload();
        http::write(stream, res, ec);
        if (ec || !req.keep_alive()) return;
      } else {
        log(req, 200);
        stream_watch(stream, fd, std::get<WatchStream>(result), req.version());
        return;
      }
    }
  }

  template <typename Stream>
  void stream_watch(Stream& stream, int fd, WatchStream& watch, unsigned version) {
    http::response<http::empty_body> res{http::status::ok, version};
    res.set(http::field::content_type, "application/json");
    res.set(http::field::cache_control, "no-cache, private");
    res.chunked(true);
    res.keep_alive(false);
    http::response_serializer<http::empty_body> serializer{res};
    boost::system::error_code ec;
    http::write_header(stream, serializer, ec);
    if (ec) return;
    const auto send = [&](const std::string& line) {
      const std::string data = line + "\n";
      net::write(stream, http::make_chunk(net::buffer(data)), ec);
      return !ec;
    };
    for (const auto& line : watch.initial_lines) {
      if (!send(line)) return;
    }
    auto last_bookmark = std::chrono::steady_clock::now();
    while (!watch.end_after_initial && !stopping_) {
      const auto now = std::chrono::steady_clock::now();
      if (now >= watch.deadline) break;
      const auto wait = std::min<std::chrono::steady_clock::duration>(
          std::chrono::milliseconds(200), watch.deadline - now);
      auto batch = watch.channel->wait(std::chrono::duration_cast<std::chrono::milliseconds>(wait));
      for (const auto& event : batch.events) {
        if (auto line = watch.render(*event); line && !send(*line)) return;
      }
      if (batch.closed) break;
      if (watch.render_bookmark &&
          std::chrono::steady_clock::now() - last_bookmark >= watch.bookmark_interval) {
        if (!send(watch.render_bookmark(batch.latest))) return;
        last_bookmark = std::chrono::steady_clock::now();
      }
      if (peer_gone(fd)) return;
    }
    net::write(stream, http::make_chunk_last(), ec);
  }

  void log(const http::request<http::string_body>& req, int status) {
    if (config_.log) {
      config_.log(std::string(req.method_string()) + " " + std::string(req.target()) + " -> " +
                  std::to_string(status));
    }
  }

  ApiServer& api_;
  HttpServerConfig config_;
  std::optional<ssl::context> tls_;
  net::io_context io_;
  tcp::acceptor acceptor_{io_};
  std::thread accept_thread_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::list<Connection> connections_;
};

HttpServer::HttpServer(ApiServer& api, HttpServerConfig config)
    : impl_(std::make_unique<Impl>(api, std::move(config))) {}

HttpServer::~HttpServer() { stop(); }

std::uint16_t HttpServer::start() { return impl_->start(); }

void HttpServer::stop() { impl_->stop(); }

}  // namespace zkop::sandbox
