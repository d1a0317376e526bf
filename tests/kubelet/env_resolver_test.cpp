#include "e2e/kubelet/env_resolver.h"

#include <gtest/gtest.h>

namespace zkop::sandbox::kubelet {
namespace {

const Json kPod = Json::parse(R"js({
  "metadata": {"name": "zk-1", "namespace": "prod", "uid": "u-1",
               "labels": {"app": "zk"}, "annotations": {"note": "hi"}},
  "spec": {"nodeName": "node-a", "serviceAccountName": "sa", "hostname": "zk-1"}
})js");

DataLookup objects() {
  return [](DataSource source,
            const std::string& name) -> std::optional<std::map<std::string, std::string>> {
    if (source == DataSource::ConfigMap && name == "settings") {
      return std::map<std::string, std::string>{{"LEVEL", "debug"}, {"SIZE", "3"}};
    }
    if (source == DataSource::Secret && name == "creds") {
      return std::map<std::string, std::string>{{"digest", "super:abc="}};
    }
    return std::nullopt;
  };
}

std::map<std::string, std::string> asMap(const EnvList& env) { return {env.begin(), env.end()}; }

TEST(EnvResolver, ResolvesValuesFieldRefsAndObjectRefs) {
  const Json container = Json::parse(R"js({"env": [
    {"name": "PLAIN", "value": "x"},
    {"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
    {"name": "POD_NAMESPACE", "valueFrom": {"fieldRef": {"fieldPath": "metadata.namespace"}}},
    {"name": "POD_UID", "valueFrom": {"fieldRef": {"fieldPath": "metadata.uid"}}},
    {"name": "POD_IP", "valueFrom": {"fieldRef": {"fieldPath": "status.podIP"}}},
    {"name": "NODE", "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}},
    {"name": "APP", "valueFrom": {"fieldRef": {"fieldPath": "metadata.labels['app']"}}},
    {"name": "LEVEL", "valueFrom": {"configMapKeyRef": {"name": "settings", "key": "LEVEL"}}},
    {"name": "DIGEST", "valueFrom": {"secretKeyRef": {"name": "creds", "key": "digest"}}},
    {"name": "URL", "value": "http://$(POD_IP):8080/$(NOPE)/$$(POD_IP)"}
  ]})js");
  auto env = resolveEnv(kPod, container, {"127.5.6.7", "127.0.0.1", ""}, objects());
  ASSERT_TRUE(env) << env.error().message();
  const auto m = asMap(*env);
  EXPECT_EQ(m.at("PLAIN"), "x");
  EXPECT_EQ(m.at("POD_NAME"), "zk-1");
  EXPECT_EQ(m.at("POD_NAMESPACE"), "prod");
  EXPECT_EQ(m.at("POD_UID"), "u-1");
  EXPECT_EQ(m.at("POD_IP"), "127.5.6.7");
  EXPECT_EQ(m.at("NODE"), "node-a");
  EXPECT_EQ(m.at("APP"), "zk");
  EXPECT_EQ(m.at("LEVEL"), "debug");
  EXPECT_EQ(m.at("DIGEST"), "super:abc=");
  EXPECT_EQ(m.at("URL"), "http://127.5.6.7:8080/$(NOPE)/$(POD_IP)");
  EXPECT_EQ(m.at("HOSTNAME"), "zk-1");
  EXPECT_EQ(m.at("PATH"), "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
}

TEST(EnvResolver, OptionalMissingReferencesLeaveTheVariableUnset) {
  const Json container = Json::parse(R"js({"env": [
    {"name": "ZKOP_SUPER_DIGEST",
     "valueFrom": {"secretKeyRef": {"name": "absent", "key": "digest", "optional": true}}},
    {"name": "OTHER", "valueFrom": {"configMapKeyRef": {"name": "settings", "key": "NOKEY",
                                                        "optional": true}}}
  ]})js");
  auto env = resolveEnv(kPod, container, {}, objects());
  ASSERT_TRUE(env) << env.error().message();
  EXPECT_FALSE(asMap(*env).contains("ZKOP_SUPER_DIGEST"));
  EXPECT_FALSE(asMap(*env).contains("OTHER"));
}

TEST(EnvResolver, MissingRequiredReferencesAreErrorsNamingTheVariable) {
  const Json container = Json::parse(R"js({"env": [
    {"name": "D", "valueFrom": {"secretKeyRef": {"name": "absent", "key": "digest"}}}]})js");
  auto env = resolveEnv(kPod, container, {}, objects());
  ASSERT_FALSE(env);
  EXPECT_NE(env.error().message().find("env D"), std::string::npos) << env.error().message();
  EXPECT_NE(env.error().message().find("absent/digest"), std::string::npos);
}

TEST(EnvResolver, EnvFromWithPrefixAndEnvOverridesIt) {
  const Json container = Json::parse(R"js({
    "envFrom": [{"configMapRef": {"name": "settings"}, "prefix": "CFG_"},
                {"secretRef": {"name": "creds"}},
                {"configMapRef": {"name": "missing", "optional": true}}],
    "env": [{"name": "CFG_SIZE", "value": "5"}]})js");
  auto env = resolveEnv(kPod, container, {}, objects());
  ASSERT_TRUE(env) << env.error().message();
  const auto m = asMap(*env);
  EXPECT_EQ(m.at("CFG_LEVEL"), "debug");
  EXPECT_EQ(m.at("CFG_SIZE"), "5");
  EXPECT_EQ(m.at("digest"), "super:abc=");

  const Json required = Json::parse(R"js({"envFrom": [{"configMapRef": {"name": "missing"}}]})js");
  EXPECT_FALSE(resolveEnv(kPod, required, {}, objects()));
}

TEST(EnvResolver, UnsupportedFieldPathsAreErrors) {
  const Json container = Json::parse(
      R"js({"env": [{"name": "X", "valueFrom": {"fieldRef": {"fieldPath": "spec.bogus"}}}]})js");
  EXPECT_FALSE(resolveEnv(kPod, container, {}, objects()));
}

}  // namespace
}  // namespace zkop::sandbox::kubelet
