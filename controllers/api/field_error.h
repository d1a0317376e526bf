#pragma once

#include <string>
#include <vector>

namespace zkop::api {

// One problem found in a resource, named by its field path the way the Kubernetes API
// server names them ("spec.pools[1].name: duplicate value").
struct FieldError {
  std::string path;
  std::string message;

  std::string toString() const { return path + ": " + message; }
  friend bool operator==(const FieldError&, const FieldError&) = default;
};

using FieldErrors = std::vector<FieldError>;

}  // namespace zkop::api
