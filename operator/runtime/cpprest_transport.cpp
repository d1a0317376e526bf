// The only file that includes cpprestsdk (upstream is in maintenance mode; keeping it behind
// HttpTransport means it can be replaced without touching the rest of the runtime).
#include "operator/runtime/cpprest_transport.h"

#include <cpprest/http_client.h>

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <atomic>
#include <boost/asio/ssl.hpp>
#include <map>
#include <mutex>
#include <vector>

namespace zkop::runtime {

namespace {

namespace http = web::http;
namespace client = web::http::client;

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

class CpprestLineStream final : public LineStream {
 public:
  CpprestLineStream(http::http_response response, pplx::cancellation_token_source cts)
      : response_(std::move(response)), body_(response_.body()), cts_(std::move(cts)) {}

  ~CpprestLineStream() override { cancel(); }

  Result<std::optional<std::string>> readLine() override {
    for (;;) {
      if (auto newline = pending_.find('\n'); newline != std::string::npos) {
        std::string line = pending_.substr(0, newline);
        pending_.erase(0, newline + 1);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        return std::optional<std::string>(std::move(line));
      }
      if (cancelled_) return fail(ErrorCategory::kTransport, "watch stream cancelled");
      if (eof_) {
        if (pending_.empty()) return std::optional<std::string>();
        std::string last = std::move(pending_);  // a final line without its newline
        pending_.clear();
        return std::optional<std::string>(std::move(last));
      }
      if (auto r = fill(); !r) return std::unexpected(r.error());
    }
  }

  void cancel() override {
    if (!cancelled_.exchange(true)) cts_.cancel();
  }

 private:
  // Appends what the body buffer holds: waits for one byte (the only blocking call), then takes
  // everything else already received in one read. Reading into our own std::string, rather
  // than through cpprestsdk's read_line into a container_buffer, keeps this file's calls to
  // the library's own buffer type (a container_buffer instantiated here trips UBSan's vptr
  // check against the library's typeinfo).
  Result<void> fill() {
    try {
      auto buffer = body_.streambuf();
      auto first = buffer.bumpc().get();  // bumpc advances; getc only peeks
      if (first == decltype(buffer)::traits::eof()) {
        eof_ = true;
        return {};
      }
      pending_.push_back(static_cast<char>(first));
      if (size_t available = buffer.in_avail(); available > 0) {
        std::vector<uint8_t> chunk(available);
        size_t n = buffer.getn(chunk.data(), chunk.size()).get();
        pending_.append(chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(n));
      }
      return {};
    } catch (const std::exception& e) {
      if (cancelled_) return fail(ErrorCategory::kTransport, "watch stream cancelled");
      return fail(ErrorCategory::kTransport, std::string("watch stream broke: ") + e.what());
    }
  }

  http::http_response response_;
  concurrency::streams::istream body_;
  pplx::cancellation_token_source cts_;
  std::atomic<bool> cancelled_{false};
  std::string pending_;  // received bytes not yet returned as lines
  bool eof_ = false;
};

class CpprestTransport final : public HttpTransport {
 public:
  explicit CpprestTransport(RestConfig config) : config_(std::move(config)) {}

  Result<HttpResponse> send(const HttpRequest& request) override {
    auto started = start(request, pplx::cancellation_token::none());
    if (!started) return std::unexpected(started.error());
    try {
      HttpResponse out = head(*started);
      out.body = started->extract_utf8string(true).get();
      afterResponse(out.status);
      return out;
    } catch (const std::exception& e) {
      return fail(ErrorCategory::kTransport,
                  request.method + " " + request.path + ": reading the response: " + e.what());
    }
  }

  Result<std::unique_ptr<LineStream>> stream(const HttpRequest& request) override {
    pplx::cancellation_token_source cts;
    auto started = start(request, cts.get_token());
    if (!started) return std::unexpected(started.error());
    HttpResponse out = head(*started);
    afterResponse(out.status);
    if (out.status >= 300) {
      try {
        out.body = started->extract_utf8string(true).get();
      } catch (const std::exception&) {
      }
      auto ra = out.headers.find("retry-after");
      return std::unexpected(errorFromResponse(
          out.status, out.body, ra == out.headers.end() ? std::string_view{} : ra->second));
    }
    return std::unique_ptr<LineStream>(
        std::make_unique<CpprestLineStream>(std::move(*started), std::move(cts)));
  }

 private:
  // cpprestsdk fixes the timeout per http_client, so keep one client per distinct timeout
  // (in practice two: plain requests and watches).
  std::shared_ptr<client::http_client> clientFor(std::chrono::milliseconds timeout) {
    std::lock_guard lock(mutex_);
    auto& slot = clients_[timeout.count()];
    if (!slot) {
      client::http_client_config cfg;
      cfg.set_timeout(timeout);
      cfg.set_validate_certificates(!config_.tls.insecure_skip_verify);
      const TlsConfig tls = config_.tls;
      cfg.set_ssl_context_callback([tls](boost::asio::ssl::context& ctx) {
        // Errors here surface as a failed handshake; the PEMs were read successfully when the
        // config was loaded, so a throw means they are not valid PEM.
        if (!tls.ca_pem.empty()) {
          // Like kubectl: a configured CA replaces the system roots (cpprestsdk loaded those
          // before calling us), so only the cluster's CA can vouch for the API server.
          SSL_CTX_set_cert_store(ctx.native_handle(), X509_STORE_new());
          ctx.add_certificate_authority(boost::asio::buffer(tls.ca_pem.data(), tls.ca_pem.size()));
        }
        if (!tls.client_cert_pem.empty()) {
          ctx.use_certificate_chain(
              boost::asio::buffer(tls.client_cert_pem.data(), tls.client_cert_pem.size()));
          ctx.use_private_key(
              boost::asio::buffer(tls.client_key_pem.data(), tls.client_key_pem.size()),
              boost::asio::ssl::context::pem);
        }
      });
      slot = std::make_shared<client::http_client>(
          utility::conversions::to_string_t(config_.server), cfg);
    }
    return slot;
  }

  Result<http::http_response> start(const HttpRequest& request, pplx::cancellation_token token) {
    http::http_request req(utility::conversions::to_string_t(request.method));
    req.set_request_uri(utility::conversions::to_string_t(request.path));
    for (const auto& [name, value] : request.headers) req.headers().add(name, value);
    req.headers().add("User-Agent", config_.user_agent);
    if (config_.credentials) {
      auto auth = config_.credentials->authorizationHeader();
      if (!auth) return std::unexpected(auth.error());
      req.headers().add("Authorization", *auth);
    }
    if (!request.body.empty()) {
      auto ct = request.headers.find("Content-Type");
      // Bytes, not set_body(std::string): that overload views a char buffer as an unsigned
      // char one inside cpprestsdk's headers, which UBSan (rightly) reports in sanitizer builds.
      req.set_body(std::vector<unsigned char>(request.body.begin(), request.body.end()));
      req.headers().set_content_type(ct == request.headers.end() ? std::string("application/json")
                                                                 : ct->second);
    }
    try {
      return clientFor(request.timeout)->request(req, token).get();
    } catch (const std::exception& e) {
      return fail(ErrorCategory::kTransport,
                  request.method + " " + config_.server + request.path + ": " + e.what());
    }
  }

  static HttpResponse head(const http::http_response& response) {
    HttpResponse out;
    out.status = response.status_code();
    for (const auto& [name, value] : response.headers()) out.headers[lower(name)] = value;
    return out;
  }

  void afterResponse(int status) {
    // A 401 means a cached token went stale (expired exec token, rotated file): refetch next time.
    if (status == 401 && config_.credentials) config_.credentials->invalidate();
  }

  RestConfig config_;
  std::mutex mutex_;
  std::map<long, std::shared_ptr<client::http_client>> clients_;
};

}  // namespace

Result<std::unique_ptr<HttpTransport>> makeCpprestTransport(const RestConfig& config) {
  if (config.server.empty()) return fail(ErrorCategory::kConfig, "no API server address");
  try {
    web::uri check(utility::conversions::to_string_t(config.server));
    (void)check;
  } catch (const std::exception& e) {
    return fail(ErrorCategory::kConfig,
                "invalid API server address " + config.server + ": " + e.what());
  }
  return std::unique_ptr<HttpTransport>(std::make_unique<CpprestTransport>(config));
}

}  // namespace zkop::runtime
