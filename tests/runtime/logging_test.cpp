#include "operator/runtime/logging.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>
#include <sstream>

namespace zkop::runtime {
namespace {

std::vector<nlohmann::json> logLines(const std::function<void(spdlog::logger&)>& emit) {
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  spdlog::logger logger("zkop", sink);
  logger.set_formatter(std::make_unique<JsonLogFormatter>());
  emit(logger);
  logger.flush();
  std::vector<nlohmann::json> lines;
  std::istringstream in(out.str());
  for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
  return lines;
}

TEST(JsonLogFormatterTest, OneEscapedObjectPerLineWithTheClusterKey) {
  auto lines = logLines([](spdlog::logger& log) {
    log.info("zk-system/main: restarting \"zk-1\"\nfollower first");
    log.warn("no object here");
  });
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0]["level"], "info");
  EXPECT_EQ(lines[0]["logger"], "zkop");
  EXPECT_EQ(lines[0]["object"], "zk-system/main");
  EXPECT_EQ(lines[0]["msg"], "zk-system/main: restarting \"zk-1\"\nfollower first");
  EXPECT_TRUE(lines[0]["ts"].get<std::string>().ends_with("Z"));
  EXPECT_EQ(lines[1]["level"], "warning");
  EXPECT_FALSE(lines[1].contains("object"));
}

TEST(ConfigureLoggingTest, RejectsUnknownValues) {
  EXPECT_FALSE(configureLogging("yaml", "info"));
  EXPECT_FALSE(configureLogging("json", "loud"));
  EXPECT_TRUE(configureLogging("text", "info"));
}

}  // namespace
}  // namespace zkop::runtime
