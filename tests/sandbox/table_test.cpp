#include "e2e/sandbox/api/table.h"

#include <gtest/gtest.h>

#include "e2e/sandbox/api/clock.h"

namespace zkop::sandbox {
namespace {

using nlohmann::json;

const json kObject = json::parse(R"({
  "metadata": {"name": "zk", "creationTimestamp": "2026-01-01T00:00:00Z"},
  "spec": {"replicas": 3},
  "status": {"conditions": [{"type": "Ready", "status": "True"}, {"type": "Degraded", "status": "False"}],
             "members": [{"name": "a"}, {"name": "b"}]}})");

TEST(JsonPath, FieldsIndexesWildcardsAndFilters) {
  EXPECT_EQ(evaluate_json_path(kObject, ".spec.replicas"), 3);
  EXPECT_EQ(evaluate_json_path(kObject, ".status.members[1].name"), "b");
  EXPECT_EQ(evaluate_json_path(kObject, ".status.members[*].name"), json::parse(R"(["a","b"])"));
  EXPECT_EQ(evaluate_json_path(kObject, R"(.status.conditions[?(@.type=="Ready")].status)"),
            "True");
  EXPECT_TRUE(evaluate_json_path(kObject, ".spec.missing").is_null());
  EXPECT_EQ(evaluate_json_path(kObject, "{.metadata.name}"), "zk");
}

TEST(Table, PrinterColumnsWithAgeAndMissingCells) {
  ResourceType type;
  type.columns = {{"Replicas", "integer", "", "", ".spec.replicas", 0},
                  {"Leader", "string", "", "", ".status.leader", 0},
                  {"Age", "date", "", "", ".metadata.creationTimestamp", 0}};
  const auto now = *parse_rfc3339("2026-01-01T00:03:20Z");
  const json table =
      build_table(type, {kObject}, now, IncludeObject::Metadata, {{"resourceVersion", "9"}});
  EXPECT_EQ(table["kind"], "Table");
  ASSERT_EQ(table["columnDefinitions"].size(), 4u);
  EXPECT_EQ(table["columnDefinitions"][0]["name"], "Name");
  EXPECT_EQ(table["rows"][0]["cells"], json::parse(R"(["zk", 3, null, "3m20s"])"));
  EXPECT_EQ(table["rows"][0]["object"]["kind"], "PartialObjectMetadata");
  EXPECT_EQ(table["metadata"]["resourceVersion"], "9");
}

TEST(HumanDuration, MatchesKubectlAges) {
  using std::chrono::seconds;
  EXPECT_EQ(human_duration(seconds(5)), "5s");
  EXPECT_EQ(human_duration(seconds(119)), "119s");
  EXPECT_EQ(human_duration(seconds(200)), "3m20s");
  EXPECT_EQ(human_duration(seconds(3600)), "60m");
  EXPECT_EQ(human_duration(seconds(5 * 3600 + 60)), "5h1m");
  EXPECT_EQ(human_duration(seconds(3 * 86400)), "3d");
}

}  // namespace
}  // namespace zkop::sandbox
