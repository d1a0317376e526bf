#include "e2e/sandbox/api/fault_injector.h"

#include <algorithm>

namespace zkop::sandbox {

using nlohmann::json;

namespace {
std::string reason_for(int code) {
  switch (code) {
    case 400:
      return "BadRequest";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "NotFound";
    case 409:
      return "Conflict";
    case 410:
      return "Expired";
    case 422:
      return "Invalid";
    case 429:
      return "TooManyRequests";
    case 503:
      return "ServiceUnavailable";
    case 504:
      return "Timeout";
    default:
      return "InternalError";
  }
}
}  // namespace

Result<FaultRule> FaultRule::from_json(const json& body) {
  if (!body.is_object()) return std::unexpected(errors::bad_request("a fault is a JSON object"));
  FaultRule rule;
  rule.verb = body.value("verb", "*");
  rule.resource = body.value("resource", "*");
  rule.count = body.value("count", 1);
  rule.code = body.value("code", 500);
  rule.reason = body.value("reason", "");
  rule.message = body.value("message", "");
  if (rule.count < 1 || rule.code < 400 || rule.code > 599) {
    return std::unexpected(
        errors::bad_request("a fault needs count >= 1 and an error code 400-599"));
  }
  if (rule.reason.empty()) rule.reason = reason_for(rule.code);
  if (rule.message.empty()) rule.message = "injected fault (" + std::to_string(rule.code) + ")";
  return rule;
}

json FaultRule::to_json() const {
  return {{"verb", verb}, {"resource", resource}, {"count", count},
          {"code", code}, {"reason", reason},     {"message", message}};
}

json FaultInjector::describe() const {
  json list = json::array();
  for (const auto& r : rules_) list.push_back(r.to_json());
  return {{"faults", list}};
}

std::optional<ApiError> FaultInjector::take(std::string_view verb, std::string_view resource) {
  for (auto it = rules_.begin(); it != rules_.end(); ++it) {
    if ((it->verb == "*" || it->verb == verb) &&
        (it->resource == "*" || it->resource == resource)) {
      ApiError error{it->code, it->reason, it->message, nullptr};
      if (--it->count == 0) rules_.erase(it);
      return error;
    }
  }
  return std::nullopt;
}

}  // namespace zkop::sandbox
