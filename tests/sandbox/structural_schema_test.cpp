#include "e2e/sandbox/api/structural_schema.h"

#include <gtest/gtest.h>

namespace zkop::sandbox {
namespace {

using nlohmann::json;

const json kSchema = json::parse(R"({
  "type": "object",
  "properties": {
    "spec": {"type": "object", "required": ["image"], "properties": {
      "replicas": {"type": "integer", "minimum": 0, "default": 3},
      "mode": {"type": "string", "enum": ["Dynamic", "Static"], "default": "Dynamic"},
      "image": {"type": "string"},
      "config": {"type": "object", "default": {}, "properties": {"tickTime": {"type": "integer", "default": 2000}}},
      "extra": {"type": "object", "x-kubernetes-preserve-unknown-fields": true},
      "labels": {"type": "object", "additionalProperties": {"type": "string"}},
      "port": {"x-kubernetes-int-or-string": true}}},
    "status": {"type": "object", "properties": {"phase": {"type": "string"}}}}})");

TEST(StructuralSchema, PrunesUnknownFieldsButKeepsPreservedAndRootMeta) {
  json object = json::parse(R"({"apiVersion": "x/v1", "kind": "X", "metadata": {"name": "a"},
      "spec": {"image": "i", "bogus": 1, "extra": {"free": {"form": true}}, "labels": {"a": "b"}},
      "junk": true})");
  const auto unknown = prune_unknown_fields(object, kSchema);
  EXPECT_EQ(unknown, (std::vector<std::string>{"spec.bogus", "junk"}));
  EXPECT_FALSE(object.contains("junk"));
  EXPECT_FALSE(object["spec"].contains("bogus"));
  EXPECT_EQ(object["spec"]["extra"]["free"]["form"], true);
  EXPECT_EQ(object["spec"]["labels"]["a"], "b");
  EXPECT_EQ(object["metadata"]["name"], "a");
}

TEST(StructuralSchema, AppliesNestedDefaults) {
  json object = json::parse(R"({"spec": {"image": "i", "replicas": 5}})");
  apply_defaults(object, kSchema);
  EXPECT_EQ(object["spec"]["replicas"], 5);
  EXPECT_EQ(object["spec"]["mode"], "Dynamic");
  EXPECT_EQ(object["spec"]["config"]["tickTime"], 2000);
  EXPECT_FALSE(object.contains("status"));
}

TEST(StructuralSchema, ValidatesTypesEnumsBoundsAndRequired) {
  const json bad = json::parse(R"({"spec": {"replicas": "three", "mode": "Other", "port": 1.5}})");
  const auto causes = validate_against_schema(bad, kSchema);
  ASSERT_EQ(causes.size(), 4u);
  EXPECT_EQ(causes[0].field, "spec.image");
  EXPECT_EQ(causes[0].message, "Required value");
  EXPECT_EQ(causes[1].field, "spec.mode");
  EXPECT_EQ(causes[2].field, "spec.port");
  EXPECT_EQ(causes[3].message,
            "Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"");
  EXPECT_TRUE(
      validate_against_schema(json::parse(R"({"spec": {"image": "i", "port": "http"}})"), kSchema)
          .empty());
  const auto negative =
      validate_against_schema(json::parse(R"({"spec": {"image": "i", "replicas": -1}})"), kSchema);
  ASSERT_EQ(negative.size(), 1u);
  EXPECT_EQ(negative[0].message,
            "Invalid value: -1: spec.replicas in body should be greater than or equal to 0");
}

}  // namespace
}  // namespace zkop::sandbox
