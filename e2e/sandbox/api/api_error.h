#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace zkop::sandbox {

// A resource named the way Kubernetes names it in messages: "pods", "zookeeperclusters.zkop.io".
struct GroupResource {
  std::string group;
  std::string resource;
  std::string str() const { return group.empty() ? resource : resource + "." + group; }
};

// One field-level cause of an Invalid error.
struct FieldCause {
  std::string type;  // FieldValueInvalid, FieldValueRequired, FieldValueNotSupported, ...
  std::string field;
  std::string message;
};

// The error type of the API layer; it is rendered as a metav1.Status with this code and reason,
// which is what clients (kubectl, client-go) branch on.
struct ApiError {
  int code = 500;
  std::string reason;
  std::string message;
  nlohmann::json details = nullptr;

  nlohmann::json to_status() const;
};

template <typename T>
using Result = std::expected<T, ApiError>;

namespace errors {
ApiError not_found(const GroupResource& gr, std::string_view name);
ApiError already_exists(const GroupResource& gr, std::string_view name);
ApiError conflict(const GroupResource& gr, std::string_view name, std::string_view why);
ApiError stale_update(const GroupResource& gr, std::string_view name);
ApiError invalid(std::string_view kind, std::string_view group, std::string_view name,
                 const std::vector<FieldCause>& causes);
ApiError bad_request(std::string message);
ApiError forbidden(const GroupResource& gr, std::string_view name, std::string message);
ApiError method_not_allowed(std::string message);
ApiError unsupported_media_type(std::string message);
ApiError not_acceptable(std::string message);
ApiError expired(std::string message);
ApiError unauthorized();
ApiError internal(std::string message);
ApiError path_not_found();
// Status of a successful delete that has no object to return.
nlohmann::json success_status(const GroupResource& gr, std::string_view name, std::string_view uid);
}  // namespace errors

}  // namespace zkop::sandbox
