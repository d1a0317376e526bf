#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "e2e/sandbox/api/api_error.h"

namespace zkop::sandbox {

// A label selector in the query-string syntax: `a=b`, `a==b`, `a!=b`, `a in (x,y)`,
// `a notin (x)`, `a`, `!a`, joined by commas (all must hold).
class LabelSelector {
 public:
  static Result<LabelSelector> parse(std::string_view text);
  bool matches(const nlohmann::json& labels) const;
  bool empty() const { return requirements_.empty(); }

 private:
  enum class Op { Equals, NotEquals, In, NotIn, Exists, DoesNotExist };
  struct Requirement {
    std::string key;
    Op op;
    std::vector<std::string> values;
  };
  std::vector<Requirement> requirements_;
};

// A field selector: `path=value`, `path==value`, `path!=value`, comma-joined. Paths are dotted
// paths into the object (metadata.name, involvedObject.uid, status.phase); a real server only
// supports a fixed set per kind, the sandbox accepts any.
class FieldSelector {
 public:
  static Result<FieldSelector> parse(std::string_view text);
  bool matches(const nlohmann::json& object) const;
  bool empty() const { return requirements_.empty(); }

 private:
  struct Requirement {
    std::vector<std::string> path;
    bool equals;
    std::string value;
  };
  std::vector<Requirement> requirements_;
};

// The query-string form of a metav1.LabelSelector object (matchLabels, matchExpressions), as a
// Scale's status.selector carries it.
std::string label_selector_string(const nlohmann::json& selector);

}  // namespace zkop::sandbox
