#pragma once

#include <chrono>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

namespace zkop::runtime {

// What went wrong, as far as a caller deciding whether to retry cares. The categories follow
// the Kubernetes API's `Status.reason` values (apimachinery's errors package) plus Transport
// for failures that never produced an HTTP response.
enum class ErrorCategory {
  kNotFound,         // 404
  kConflict,         // 409 with reason Conflict: stale resourceVersion
  kAlreadyExists,    // 409 with reason AlreadyExists
  kInvalid,          // 422
  kBadRequest,       // 400
  kUnauthorized,     // 401
  kForbidden,        // 403
  kGone,             // 410: the requested resourceVersion is too old; relist
  kTooManyRequests,  // 429 (carries Retry-After)
  kTimeout,          // 504 or a server-side timeout Status
  kServerError,      // any other 5xx
  kTransport,        // no response: connect, TLS, read or timeout failure, cancellation
  kConfig,           // kubeconfig / in-cluster configuration unusable
  kDecode,           // a response that is not what the API promises (bad JSON)
};

std::string_view categoryName(ErrorCategory category);

// The one error type of the runtime layer: a category to branch on, the HTTP code (0 when
// there was no response), the API's Status message and the step that failed.
struct Error {
  ErrorCategory category = ErrorCategory::kTransport;
  int http_code = 0;
  std::string message;
  // Status.reason as the server sent it (e.g. "Conflict", "Expired"); empty for local errors.
  std::string reason;
  // From the Retry-After header or Status.details.retryAfterSeconds, when the server gave one.
  std::optional<std::chrono::seconds> retry_after;

  // "<category> (<code>): <message>" for logs and events.
  std::string describe() const;

  bool is(ErrorCategory c) const { return category == c; }
  // Errors that a later identical request may not meet again (server overload, transport).
  bool retriable() const;
};

template <typename T>
using Result = std::expected<T, Error>;

// Shorthand for building the unexpected branch.
inline std::unexpected<Error> fail(ErrorCategory category, std::string message, int http_code = 0) {
  return std::unexpected(Error{category, http_code, std::move(message), {}, std::nullopt});
}

// Maps an HTTP error response (status code, body that is usually a meta/v1 Status, and the
// Retry-After header value if any) to the typed error. Never fails: an unparseable body
// becomes the message.
Error errorFromResponse(int http_code, std::string_view body,
                        std::string_view retry_after_header = {});

}  // namespace zkop::runtime
