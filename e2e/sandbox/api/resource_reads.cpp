// get, list and watch.
#include <cstdlib>

#include "e2e/sandbox/api/resource_handler.h"
#include "e2e/sandbox/api/selectors.h"

namespace zkop::sandbox {

using nlohmann::json;

namespace {

// The continue token: the key to resume after, hex-encoded so that it is opaque to clients.
std::string encode_continue(const ObjectKey& key) {
  static constexpr char kHex[] = "0123456789abcdef";
  const std::string raw = key.ns + "/" + key.name;
  std::string out;
  for (unsigned char c : raw) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

std::optional<std::pair<std::string, std::string>> decode_continue(std::string_view token) {
  if (token.size() % 2 != 0) return std::nullopt;
  std::string raw;
  for (std::size_t i = 0; i < token.size(); i += 2) {
    const std::string byte(token.substr(i, 2));
    char* end = nullptr;
    const long v = std::strtol(byte.c_str(), &end, 16);
    if (end != byte.c_str() + 2) return std::nullopt;
    raw += static_cast<char>(v);
  }
  const std::size_t slash = raw.find('/');
  if (slash == std::string::npos) return std::nullopt;
  return std::pair{raw.substr(0, slash), raw.substr(slash + 1)};
}

// The label and field selectors of a request, as one predicate.
struct Selection {
  LabelSelector labels;
  FieldSelector fields;
  bool matches(const json& object) const {
    if (object.is_null()) return false;
    const json& m = object.value("metadata", json::object());
    return labels.matches(m.value("labels", json::object())) && fields.matches(object);
  }
  bool empty() const { return labels.empty() && fields.empty(); }
};

Result<Selection> selection_of(const ApiRequest& request) {
  auto labels = LabelSelector::parse(request.param("labelSelector"));
  if (!labels) return std::unexpected(labels.error());
  auto fields = FieldSelector::parse(request.param("fieldSelector"));
  if (!fields) return std::unexpected(fields.error());
  return Selection{std::move(*labels), std::move(*fields)};
}

std::string event_line(std::string_view type, const json& object) {
  return json{{"type", type}, {"object", object}}.dump();
}

}  // namespace

Result<ApiResponse> ResourceHandler::get(const ResourceType& type, const ResourcePath& path,
                                         const ApiRequest& request) {
  const json* object = ctx_.store().get(key_of(type, path));
  if (object == nullptr)
    return std::unexpected(errors::not_found(type.group_resource(), path.name));
  if (path.subresource == "scale") {
    return ApiResponse{200, "application/json", scale_of(type, *object).dump(), {}};
  }
  return respond(type, *object, request, 200);
}

Result<ApiResponse> ResourceHandler::list(const ResourceType& type, const ResourcePath& path,
                                          const ApiRequest& request) {
  auto how = negotiate(request.accept, request.param("includeObject"));
  if (!how) return std::unexpected(how.error());
  auto selection = selection_of(request);
  if (!selection) return std::unexpected(selection.error());
  const long long limit = std::atoll(request.param("limit").c_str());
  std::optional<std::pair<std::string, std::string>> after;
  if (!request.param("continue").empty()) {
    after = decode_continue(request.param("continue"));
    if (!after) return std::unexpected(errors::bad_request("continue key is not valid"));
  }
  std::vector<json> items;
  std::optional<ObjectKey> last;
  long long remaining = 0;
  for (const auto& [key, object] : ctx_.store().list(type.storage_key(), path.ns)) {
    if (after && std::pair{key.ns, key.name} <= *after) continue;
    if (!selection->matches(*object)) continue;
    if (limit > 0 && static_cast<long long>(items.size()) >= limit) {
      ++remaining;
      continue;
    }
    items.push_back(*object);
    last = key;
  }
  json list_meta = {{"resourceVersion", std::to_string(ctx_.store().resource_version())}};
  if (remaining > 0 && last) {
    list_meta["continue"] = encode_continue(*last);
    // A real server counts the rest only when no selector filters it.
    if (selection->empty()) list_meta["remainingItemCount"] = remaining;
  }
  return ApiResponse{200,
                     "application/json",
                     render_list(type, items, list_meta, *how, ctx_.clock().now()).dump(),
                     {}};
}

Result<WatchStream> ResourceHandler::watch(const ResourceType& type, const ResourcePath& path,
                                           const ApiRequest& request) {
  auto how = negotiate(request.accept, request.param("includeObject"));
  if (!how) return std::unexpected(how.error());
  auto selection = selection_of(request);
  if (!selection) return std::unexpected(selection.error());
  if (!path.name.empty()) {
    auto by_name = FieldSelector::parse("metadata.name=" + path.name);
    selection->fields = std::move(*by_name);
  }
  const std::string storage_key = type.storage_key();
  const std::string ns = type.namespaced ? path.ns : std::string();
  const Clock* clock = &ctx_.clock();
  const Negotiated rendering = *how;
  const auto in_scope = [storage_key, ns](const ObjectKey& key) {
    return key.resource == storage_key && (ns.empty() || key.ns == ns);
  };
  const auto encode = [type, rendering, clock](const json& object) {
    return render_object(type, object, rendering, clock->now());
  };
  // The event a client of this watch sees, given its selectors: a change that moves an object
  // into or out of the selection is an ADDED or a DELETED.
  const auto render = [in_scope, encode,
                       sel = *selection](const WatchEvent& e) -> std::optional<std::string> {
    if (!in_scope(e.key)) return std::nullopt;
    const bool now_in = e.type != EventType::Deleted && sel.matches(e.object);
    const bool was_in = e.type != EventType::Added && sel.matches(e.previous);
    if (e.type == EventType::Deleted) {
      if (!was_in) return std::nullopt;
      return event_line("DELETED", encode(e.object));
    }
    if (now_in && was_in) return event_line("MODIFIED", encode(e.object));
    if (now_in) return event_line("ADDED", encode(e.object));
    if (was_in) return event_line("DELETED", encode(e.object));
    return std::nullopt;
  };

  WatchStream stream;
  const std::string rv_param = request.param("resourceVersion");
  const bool initial_events =
      rv_param.empty() || rv_param == "0" || request.param("sendInitialEvents") == "true";
  if (initial_events) {
    for (const auto& [key, object] : ctx_.store().list(storage_key, ns)) {
      if (selection->matches(*object))
        stream.initial_lines.push_back(event_line("ADDED", encode(*object)));
    }
  } else {
    char* end = nullptr;
    const unsigned long long rv = std::strtoull(rv_param.c_str(), &end, 10);
    if (end == rv_param.c_str() || *end != '\0') {
      return std::unexpected(errors::bad_request("invalid resourceVersion: " + rv_param));
    }
    const auto events = ctx_.store().history().since(rv);
    if (!events) {
      // What a real server sends when etcd has compacted past the requested version.
      ApiError gone = errors::expired("too old resource version: " + rv_param + " (" +
                                      std::to_string(ctx_.store().history().compacted() + 1) + ")");
      stream.initial_lines.push_back(event_line("ERROR", gone.to_status()));
      stream.end_after_initial = true;
      return stream;
    }
    for (const EventPtr& e : *events) {
      if (auto line = render(*e)) stream.initial_lines.push_back(std::move(*line));
    }
  }
  const json bookmark_kind = {
      {"kind", rendering.rendering == Rendering::Object ? type.kind : "PartialObjectMetadata"},
      {"apiVersion",
       rendering.rendering == Rendering::Object ? type.api_version() : "meta.k8s.io/v1"}};
  const auto bookmark = [bookmark_kind](std::uint64_t rv, bool initial_end) {
    json object = bookmark_kind;
    object["metadata"] = {{"resourceVersion", std::to_string(rv)}};
    if (initial_end) object["metadata"]["annotations"] = {{"k8s.io/initial-events-end", "true"}};
    return event_line("BOOKMARK", object);
  };
  const bool bookmarks = request.param("allowWatchBookmarks") == "true";
  if (request.param("sendInitialEvents") == "true" && bookmarks) {
    stream.initial_lines.push_back(bookmark(ctx_.store().resource_version(), true));
  }
  if (bookmarks) {
    stream.render_bookmark = [bookmark](std::uint64_t rv) { return bookmark(rv, false); };
    stream.bookmark_interval = ctx_.options().bookmark_interval;
  }
  long long timeout = std::atoll(request.param("timeoutSeconds").c_str());
  if (timeout <= 0) timeout = 1800;
  stream.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout);
  stream.channel = ctx_.store().subscribe();
  stream.render = render;
  return stream;
}

}  // namespace zkop::sandbox
