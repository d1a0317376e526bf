#include "e2e/sandbox/api/selectors.h"

#include <gtest/gtest.h>

namespace zkop::sandbox {
namespace {

using nlohmann::json;

TEST(LabelSelector, EqualityInequalityAndSets) {
  const json labels = {{"app", "zk"}, {"tier", "db"}};
  const auto match = [&](const char* s) { return LabelSelector::parse(s).value().matches(labels); };
  EXPECT_TRUE(match(""));
  EXPECT_TRUE(match("app=zk"));
  EXPECT_TRUE(match("app==zk,tier=db"));
  EXPECT_FALSE(match("app=zk,tier=web"));
  EXPECT_TRUE(match("app!=web"));
  EXPECT_FALSE(match("app!=zk"));
  EXPECT_TRUE(match("tier in (web, db)"));
  EXPECT_FALSE(match("tier notin (db)"));
  EXPECT_TRUE(match("app"));
  EXPECT_FALSE(match("!app"));
  EXPECT_TRUE(match("!missing"));
  EXPECT_TRUE(match("missing!=x"));
}

TEST(LabelSelector, RejectsAnEmptyKey) { EXPECT_FALSE(LabelSelector::parse("=x").has_value()); }

TEST(FieldSelector, MatchesDottedPaths) {
  const json event = {{"metadata", {{"name", "e1"}, {"namespace", "ns"}}},
                      {"involvedObject", {{"kind", "Pod"}, {"uid", "u1"}}}};
  const auto match = [&](const char* s) { return FieldSelector::parse(s).value().matches(event); };
  EXPECT_TRUE(match("metadata.name=e1"));
  EXPECT_TRUE(match("involvedObject.kind=Pod,involvedObject.uid==u1"));
  EXPECT_FALSE(match("metadata.name!=e1"));
  EXPECT_FALSE(match("involvedObject.name=x"));
  EXPECT_FALSE(FieldSelector::parse("metadata.name").has_value());
}

TEST(LabelSelectorString, RendersMatchLabelsAndExpressions) {
  const json selector = {
      {"matchLabels", {{"app", "zk"}}},
      {"matchExpressions", {{{"key", "tier"}, {"operator", "In"}, {"values", {"a", "b"}}}}}};
  EXPECT_EQ(label_selector_string(selector), "app=zk,tier in (a,b)");
}

}  // namespace
}  // namespace zkop::sandbox
