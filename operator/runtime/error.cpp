#include "operator/runtime/error.h"

#include <charconv>
#include <nlohmann/json.hpp>

namespace zkop::runtime {

std::string_view categoryName(ErrorCategory category) {
  switch (category) {
    case ErrorCategory::kNotFound:
      return "NotFound";
    case ErrorCategory::kConflict:
      return "Conflict";
    case ErrorCategory::kAlreadyExists:
      return "AlreadyExists";
    case ErrorCategory::kInvalid:
      return "Invalid";
    case ErrorCategory::kBadRequest:
      return "BadRequest";
    case ErrorCategory::kUnauthorized:
      return "Unauthorized";
    case ErrorCategory::kForbidden:
      return "Forbidden";
    case ErrorCategory::kGone:
      return "Gone";
    case ErrorCategory::kTooManyRequests:
      return "TooManyRequests";
    case ErrorCategory::kTimeout:
      return "Timeout";
    case ErrorCategory::kServerError:
      return "ServerError";
    case ErrorCategory::kTransport:
      return "Transport";
    case ErrorCategory::kConfig:
      return "Config";
    case ErrorCategory::kDecode:
      return "Decode";
  }
  return "Unknown";
}

std::string Error::describe() const {
  std::string out{categoryName(category)};
  if (http_code != 0) out += " (" + std::to_string(http_code) + ")";
  if (!message.empty()) out += ": " + message;
  return out;
}

bool Error::retriable() const {
  switch (category) {
    case ErrorCategory::kTooManyRequests:
    case ErrorCategory::kTimeout:
    case ErrorCategory::kServerError:
    case ErrorCategory::kTransport:
      return true;
    default:
      return false;
  }
}

namespace {

std::optional<std::chrono::seconds> parseSeconds(std::string_view text) {
  long value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || ptr == text.data() || value < 0) return std::nullopt;
  return std::chrono::seconds(value);
}

ErrorCategory categoryFor(int http_code, std::string_view reason) {
  // The reason is more precise than the code where both exist (409 is two different things).
  if (reason == "NotFound") return ErrorCategory::kNotFound;
  if (reason == "AlreadyExists") return ErrorCategory::kAlreadyExists;
  if (reason == "Conflict") return ErrorCategory::kConflict;
  if (reason == "Invalid") return ErrorCategory::kInvalid;
  if (reason == "Forbidden") return ErrorCategory::kForbidden;
  if (reason == "Unauthorized") return ErrorCategory::kUnauthorized;
  if (reason == "Gone" || reason == "Expired") return ErrorCategory::kGone;
  if (reason == "TooManyRequests") return ErrorCategory::kTooManyRequests;
  if (reason == "Timeout" || reason == "ServerTimeout") return ErrorCategory::kTimeout;
  switch (http_code) {
    case 400:
      return ErrorCategory::kBadRequest;
    case 401:
      return ErrorCategory::kUnauthorized;
    case 403:
      return ErrorCategory::kForbidden;
    case 404:
      return ErrorCategory::kNotFound;
    case 409:
      return ErrorCategory::kConflict;
    case 410:
      return ErrorCategory::kGone;
    case 422:
      return ErrorCategory::kInvalid;
    case 429:
      return ErrorCategory::kTooManyRequests;
    case 504:
      return ErrorCategory::kTimeout;
    default:
      break;
  }
  if (http_code >= 500) return ErrorCategory::kServerError;
  return ErrorCategory::kBadRequest;
}

}  // namespace

Error errorFromResponse(int http_code, std::string_view body, std::string_view retry_after_header) {
  Error error;
  error.http_code = http_code;
  auto status = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (status.is_object() && status.value("kind", "") == "Status") {
    error.message = status.value("message", "");
    error.reason = status.value("reason", "");
    // A Status may carry its own code (watch ERROR events have no HTTP code of their own).
    if (http_code == 0) error.http_code = status.value("code", 0);
    if (auto details = status.find("details"); details != status.end() && details->is_object()) {
      if (auto ra = details->find("retryAfterSeconds"); ra != details->end() && ra->is_number()) {
        error.retry_after = std::chrono::seconds(ra->get<long>());
      }
    }
  } else {
    error.message = std::string(body.substr(0, 512));
  }
  if (!retry_after_header.empty()) {
    if (auto seconds = parseSeconds(retry_after_header)) error.retry_after = seconds;
  }
  error.category = categoryFor(error.http_code, error.reason);
  if (error.message.empty()) error.message = "HTTP " + std::to_string(error.http_code);
  return error;
}

}  // namespace zkop::runtime
