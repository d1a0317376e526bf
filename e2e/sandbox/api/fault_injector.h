#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "e2e/sandbox/api/api_error.h"

namespace zkop::sandbox {

// One injected fault: the next `count` requests with this verb on this resource (either may be
// "*") fail with `code` (and `reason`, derived from the code when empty).
struct FaultRule {
  std::string verb = "*";
  std::string resource = "*";
  int count = 1;
  int code = 500;
  std::string reason;
  std::string message;

  static Result<FaultRule> from_json(const nlohmann::json& body);
  nlohmann::json to_json() const;
};

// Fails requests on purpose so that tests can prove a client copes (retries, relists).
class FaultInjector {
 public:
  void add(FaultRule rule) { rules_.push_back(std::move(rule)); }
  void clear() { rules_.clear(); }
  nlohmann::json describe() const;
  // The error for this request if a rule matches (and consumes one of its count).
  std::optional<ApiError> take(std::string_view verb, std::string_view resource);

 private:
  std::vector<FaultRule> rules_;
};

}  // namespace zkop::sandbox
