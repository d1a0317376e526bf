#include "e2e/sandbox/api/api_error.h"

namespace zkop::sandbox {

using nlohmann::json;

json ApiError::to_status() const {
  json status = {{"kind", "Status"},    {"apiVersion", "v1"}, {"metadata", json::object()},
                 {"status", "Failure"}, {"message", message}, {"reason", reason},
                 {"code", code}};
  if (!details.is_null()) status["details"] = details;
  return status;
}

namespace errors {
namespace {
json details_of(const GroupResource& gr, std::string_view name) {
  json d = {{"name", name}, {"kind", gr.resource}};
  if (!gr.group.empty()) d["group"] = gr.group;
  return d;
}
std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }
}  // namespace

ApiError not_found(const GroupResource& gr, std::string_view name) {
  return {404, "NotFound", gr.str() + " " + quoted(name) + " not found", details_of(gr, name)};
}

ApiError already_exists(const GroupResource& gr, std::string_view name) {
  return {409, "AlreadyExists", gr.str() + " " + quoted(name) + " already exists",
          details_of(gr, name)};
}

ApiError conflict(const GroupResource& gr, std::string_view name, std::string_view why) {
  return {
      409, "Conflict",
      "Operation cannot be fulfilled on " + gr.str() + " " + quoted(name) + ": " + std::string(why),
      details_of(gr, name)};
}

ApiError stale_update(const GroupResource& gr, std::string_view name) {
  return conflict(gr, name,
                  "the object has been modified; please apply your changes to the latest "
                  "version and try again");
}

ApiError invalid(std::string_view kind, std::string_view group, std::string_view name,
                 const std::vector<FieldCause>& causes) {
  std::string qualified = std::string(kind) + (group.empty() ? "" : "." + std::string(group));
  std::string message = qualified + " " + quoted(name) + " is invalid: ";
  json cause_list = json::array();
  for (std::size_t i = 0; i < causes.size(); ++i) {
    if (i > 0) message += ", ";
    message += causes[i].field + ": " + causes[i].message;
    cause_list.push_back(
        {{"reason", causes[i].type}, {"message", causes[i].message}, {"field", causes[i].field}});
  }
  if (causes.size() > 1)
    message = qualified + " " + quoted(name) + " is invalid: [" +
              message.substr(message.find("is invalid: ") + 12) + "]";
  json details = {{"name", name}, {"kind", kind}, {"causes", cause_list}};
  if (!group.empty()) details["group"] = group;
  return {422, "Invalid", message, details};
}

ApiError bad_request(std::string message) {
  return {400, "BadRequest", std::move(message), nullptr};
}

ApiError forbidden(const GroupResource& gr, std::string_view name, std::string message) {
  return {403, "Forbidden", gr.str() + " " + quoted(name) + " is forbidden: " + message,
          details_of(gr, name)};
}

ApiError method_not_allowed(std::string message) {
  return {405, "MethodNotAllowed", std::move(message), nullptr};
}

ApiError unsupported_media_type(std::string message) {
  return {415, "UnsupportedMediaType", std::move(message), nullptr};
}

ApiError not_acceptable(std::string message) {
  return {406, "NotAcceptable", std::move(message), nullptr};
}

ApiError expired(std::string message) { return {410, "Expired", std::move(message), nullptr}; }

ApiError unauthorized() { return {401, "Unauthorized", "Unauthorized", nullptr}; }

ApiError internal(std::string message) {
  return {500, "InternalError", "Internal error occurred: " + message, nullptr};
}

ApiError path_not_found() {
  return {404, "NotFound", "the server could not find the requested resource", nullptr};
}

json success_status(const GroupResource& gr, std::string_view name, std::string_view uid) {
  json d = details_of(gr, name);
  d["uid"] = uid;
  return {{"kind", "Status"},
          {"apiVersion", "v1"},
          {"metadata", json::object()},
          {"status", "Success"},
          {"details", d}};
}
}  // namespace errors

}  // namespace zkop::sandbox
