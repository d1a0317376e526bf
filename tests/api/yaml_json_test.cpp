#include "controllers/api/yaml_json.h"

#include <gtest/gtest.h>

namespace zkop::api {
namespace {

TEST(YamlJson, ResolvesPlainScalarsAndKeepsQuotedOnesAsStrings) {
  const auto docs = parseYamlDocuments(R"(
a: 3
b: "3"
c: true
d: 'false'
e: 3.5
f: null
g: ~
h: 3.8.4
i: [1, two]
)");
  ASSERT_TRUE(docs.has_value()) << docs.error();
  ASSERT_EQ(docs->size(), 1u);
  const auto expected = Json::parse(R"({"a": 3, "b": "3", "c": true, "d": "false", "e": 3.5,
      "f": null, "g": null, "h": "3.8.4", "i": [1, "two"]})");
  EXPECT_EQ((*docs)[0], expected);
}

TEST(YamlJson, ReadsManyDocumentsAndSkipsEmptyOnes) {
  const auto docs = parseYamlDocuments("---\na: 1\n---\n---\nb: 2\n");
  ASSERT_TRUE(docs.has_value());
  EXPECT_EQ(docs->size(), 2u);
}

TEST(YamlJson, ReportsSyntaxErrors) {
  const auto docs = parseYamlDocuments("a: [1, 2\n");
  ASSERT_FALSE(docs.has_value());
  EXPECT_NE(docs.error().find("invalid YAML"), std::string::npos);
}

TEST(YamlJson, EmitsYamlThatReadsBackTheSame) {
  const auto value = Json::parse(R"({"s": "true", "n": "0755", "v": "3.8", "empty": "",
      "multi": "line one\nline two\n", "list": [], "map": {}, "x": [{"k": 1}], "b": false,
      "q": "a: b"})");
  const auto back = parseYamlDocuments(toYaml(value));
  ASSERT_TRUE(back.has_value()) << back.error();
  EXPECT_EQ((*back)[0], value) << toYaml(value);
}

}  // namespace
}  // namespace zkop::api
