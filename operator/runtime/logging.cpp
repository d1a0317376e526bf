#include "operator/runtime/logging.h"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "operator/runtime/encoding.h"

namespace zkop::runtime {

namespace {

// "ns/name: rest" → "ns/name" when the prefix looks like a Kubernetes key (DNS labels only).
std::string objectPrefix(std::string_view message) {
  auto colon = message.find(": ");
  if (colon == std::string_view::npos || colon == 0 || colon > 253 + 64) return {};
  auto key = message.substr(0, colon);
  auto slash = key.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == key.size()) return {};
  if (key.find('/', slash + 1) != std::string_view::npos) return {};
  for (char c : key) {
    if (!(std::islower(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '/')) {
      return {};
    }
  }
  return std::string(key);
}

}  // namespace

void JsonLogFormatter::format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) {
  const std::string_view payload(msg.payload.data(), msg.payload.size());
  nlohmann::json line = {
      {"ts",
       formatRfc3339(std::chrono::time_point_cast<Clock::WallTime::duration>(msg.time), true)},
      {"level", std::string(spdlog::level::to_string_view(msg.level).data(),
                            spdlog::level::to_string_view(msg.level).size())},
      {"logger", std::string(msg.logger_name.data(), msg.logger_name.size())},
      {"msg", std::string(payload)}};
  if (auto object = objectPrefix(payload); !object.empty()) line["object"] = object;
  // Invalid UTF-8 in a message must not throw out of a logging call.
  const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  dest.append(text.data(), text.data() + text.size());
  dest.push_back('\n');
}

std::unique_ptr<spdlog::formatter> JsonLogFormatter::clone() const {
  return std::make_unique<JsonLogFormatter>();
}

Result<void> configureLogging(const std::string& format, const std::string& level) {
  spdlog::level::level_enum lvl;
  if (level == "debug") {
    lvl = spdlog::level::debug;
  } else if (level == "info") {
    lvl = spdlog::level::info;
  } else if (level == "warn" || level == "warning") {
    lvl = spdlog::level::warn;
  } else if (level == "error") {
    lvl = spdlog::level::err;
  } else {
    return fail(ErrorCategory::kConfig,
                "unknown log level '" + level + "' (want debug, info, warn or error)");
  }
  if (format == "json") {
    spdlog::set_formatter(std::make_unique<JsonLogFormatter>());
  } else if (format == "text") {
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%-5l%$ %v");
  } else {
    return fail(ErrorCategory::kConfig, "unknown log format '" + format + "' (want text or json)");
  }
  spdlog::set_level(lvl);
  return {};
}

}  // namespace zkop::runtime
