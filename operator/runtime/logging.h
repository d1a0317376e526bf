#pragma once

#include <spdlog/formatter.h>
#include <memory>
#include <string>

#include "operator/runtime/error.h"

namespace zkop::runtime {

enum class LogFormat { kText, kJson };

// One JSON object per line: {"ts":"…","level":"info","logger":"zkop","msg":"…"} plus
// "object":"ns/name" when the message starts with "ns/name: " — the convention for every line
// about a cluster, so log pipelines can filter by cluster without parsing messages.
class JsonLogFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override;
  std::unique_ptr<spdlog::formatter> clone() const override;
};

// Parses "text" | "json" and "debug" | "info" | "warn" | "error", then sets the default
// logger's formatter and level. Errors name the bad value.
Result<void> configureLogging(const std::string& format, const std::string& level);

}  // namespace zkop::runtime
