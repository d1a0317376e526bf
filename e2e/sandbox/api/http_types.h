#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "e2e/sandbox/store/watch_channel.h"

namespace zkop::sandbox {

// A request as the API layer sees it, independent of the HTTP library.
struct ApiRequest {
  std::string method;
  std::string path;
  std::map<std::string, std::string> query;
  std::string content_type;
  std::string accept;
  std::string authorization;
  std::string body;

  std::string param(const std::string& name) const {
    const auto it = query.find(name);
    return it == query.end() ? std::string() : it->second;
  }
  bool has(const std::string& name) const { return query.contains(name); }
};

struct ApiResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// A watch the HTTP layer streams: the lines to send first, then whatever `render` makes of each
// event arriving on `channel`, until the deadline, the channel closes or the client leaves.
struct WatchStream {
  std::vector<std::string> initial_lines;
  // Sends only the initial lines (an ERROR event such as 410 Expired), then ends.
  bool end_after_initial = false;
  std::shared_ptr<WatchChannel> channel;
  // Returns the line for an event, or nullopt when the watch's filters drop it.
  std::function<std::optional<std::string>(const WatchEvent&)> render;
  std::function<std::string(std::uint64_t)> render_bookmark;  // empty: no bookmarks
  std::chrono::steady_clock::time_point deadline;
  std::chrono::milliseconds bookmark_interval{0};
};

using ApiResult = std::variant<ApiResponse, WatchStream>;

}  // namespace zkop::sandbox
