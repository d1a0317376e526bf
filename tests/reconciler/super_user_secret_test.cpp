#include "operator/reconciler/super_user_secret.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>

#include "operator/runtime/encoding.h"
#include "operator/zookeeper/digest.h"
#include "tests/reconciler/cluster_fixture.h"
#include "tests/reconciler/io_fixture.h"
#include "tests/runtime/fake_api_server.h"

namespace zkop::reconciler {
namespace {

using EnsureSuperUserSecret = testing::IoTest;
using testing::makeCluster;
using testing::statusJson;

std::string decoded(const Json& secret, const char* key) {
  auto value = runtime::base64Decode(secret["data"][key].get<std::string>());
  EXPECT_TRUE(value.has_value()) << key;
  return value.value_or("");
}

bool alphanumeric(const std::string& s) {
  return std::ranges::all_of(s, [](unsigned char c) { return std::isalnum(c) != 0; });
}

TEST(RenderSuperUserSecret, CarriesUserPasswordAndTheServersDigest) {
  const auto secret = renderSuperUserSecret(makeCluster({{"replicas", 3}}), "secret");
  EXPECT_EQ(secret["apiVersion"], "v1");
  EXPECT_EQ(secret["kind"], "Secret");
  EXPECT_EQ(secret["type"], "Opaque");
  EXPECT_EQ(secret["metadata"]["name"], "zk-super");
  EXPECT_EQ(secret["metadata"]["namespace"], "ns");
  ASSERT_TRUE(secret["metadata"].contains("ownerReferences"));
  EXPECT_EQ(secret["metadata"]["ownerReferences"][0]["uid"], "cluster-uid")
      << "deleted with the cluster";
  EXPECT_EQ(secret["data"].size(), 3u);
  EXPECT_EQ(decoded(secret, "user"), "super");
  EXPECT_EQ(decoded(secret, "password"), "secret");
  EXPECT_EQ(decoded(secret, "digest"), zookeeper::digestCredential("super", "secret"));
  EXPECT_EQ(decoded(secret, "digest"), "super:lK75jTNcA+U9vtVEw5vB51mj/w4=")
      << "what -Dzookeeper.DigestAuthenticationProvider.superDigest takes";
}

TEST(RenderSuperUserSecret, NamedBySpecSecurity) {
  const auto cluster =
      makeCluster({{"replicas", 3}, {"security", {{"superUserSecret", "my-admin"}}}});
  EXPECT_EQ(renderSuperUserSecret(cluster, "pw")["metadata"]["name"], "my-admin");
}

TEST(RandomPassword, ThirtyTwoAlphanumericCharactersEachTimeDifferent) {
  const auto a = randomPassword();
  const auto b = randomPassword();
  EXPECT_EQ(a.size(), 32u);
  EXPECT_EQ(b.size(), 32u);
  EXPECT_TRUE(alphanumeric(a)) << a;
  EXPECT_TRUE(alphanumeric(b)) << b;
  EXPECT_NE(a, b);
}

TEST(RandomPassword, UsesTheWholeAlphabet) {
  std::string all;
  for (int i = 0; i < 64; ++i) all += randomPassword();
  EXPECT_TRUE(std::ranges::any_of(all, [](unsigned char c) { return std::isupper(c); }));
  EXPECT_TRUE(std::ranges::any_of(all, [](unsigned char c) { return std::islower(c); }));
  EXPECT_TRUE(std::ranges::any_of(all, [](unsigned char c) { return std::isdigit(c); }));
}

constexpr const char* kSecretPath = "/api/v1/namespaces/ns/secrets/zk-super";

TEST_F(EnsureSuperUserSecret, CreatesAMissingSecretAndReadsItBackAfterwards) {
  auto server = std::make_shared<runtime::testing::FakeApiServer>();
  runtime::Client apiClient(server);
  const auto cluster = makeCluster({{"replicas", 3}});

  auto created = ensureSuperUserSecret(apiClient, cluster);
  ASSERT_TRUE(created) << created.error().describe();
  EXPECT_EQ(created->user, "super");
  EXPECT_EQ(created->password.size(), 32u);
  EXPECT_TRUE(alphanumeric(created->password));
  const auto stored = server->object(kSecretPath);
  ASSERT_TRUE(stored.has_value()) << "created under the cluster's namespace and name";
  EXPECT_EQ(decoded(*stored, "password"), created->password);
  EXPECT_EQ(decoded(*stored, "digest"), zookeeper::digestCredential("super", created->password));

  auto again = ensureSuperUserSecret(apiClient, cluster);
  ASSERT_TRUE(again) << again.error().describe();
  EXPECT_EQ(again->password, created->password) << "the password is made once";
  int posts = 0;
  for (const auto& r : server->requests()) posts += r.method == "POST";
  EXPECT_EQ(posts, 1);
}

TEST_F(EnsureSuperUserSecret, CreatesWhenNotFound) {
  transport->expectJson("GET", kSecretPath, 404, statusJson(404, "NotFound"));
  const Json answer = {{"metadata", {{"name", "zk-super"}}},
                       {"data", {{"password", runtime::base64Encode("from-server")}}}};
  transport->expectJson("POST", "/api/v1/namespaces/ns/secrets", 201, answer.dump());
  auto credentials = ensureSuperUserSecret(*client, makeCluster({{"replicas", 3}}));
  ASSERT_TRUE(credentials) << credentials.error().describe();
  const auto sent = transport->requests();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[1].method, "POST");
  const auto body = Json::parse(sent[1].body);
  EXPECT_EQ(body["kind"], "Secret");
  EXPECT_EQ(decoded(body, "password").size(), 32u);
  EXPECT_EQ(credentials->password, "from-server") << "what the API stored";
  EXPECT_EQ(credentials->user, "super") << "no user key: the default";
}

TEST_F(EnsureSuperUserSecret, ReadsAnExistingOne) {
  const Json existing = {{"metadata", {{"name", "zk-super"}, {"namespace", "ns"}}},
                         {"data",
                          {{"user", runtime::base64Encode("admin")},
                           {"password", runtime::base64Encode("hunter2")},
                           {"digest", runtime::base64Encode("admin:xyz")}}}};
  transport->expectJson("GET", kSecretPath, 200, existing.dump());
  auto credentials = ensureSuperUserSecret(*client, makeCluster({{"replicas", 3}}));
  ASSERT_TRUE(credentials) << credentials.error().describe();
  EXPECT_EQ(credentials->user, "admin");
  EXPECT_EQ(credentials->password, "hunter2");
  EXPECT_EQ(transport->requests().size(), 1u) << "an existing Secret is never rewritten";
}

TEST_F(EnsureSuperUserSecret, ReadsTheSecretTheSpecNames) {
  const Json existing = {{"data", {{"password", runtime::base64Encode("pw")}}}};
  transport->expectJson("GET", "/api/v1/namespaces/ns/secrets/my-admin", 200, existing.dump());
  auto credentials = ensureSuperUserSecret(
      *client, makeCluster({{"replicas", 3}, {"security", {{"superUserSecret", "my-admin"}}}}));
  ASSERT_TRUE(credentials) << credentials.error().describe();
  EXPECT_EQ(credentials->password, "pw");
}

TEST_F(EnsureSuperUserSecret, WithoutPasswordIsAnError) {
  const Json existing = {{"metadata", {{"name", "zk-super"}}},
                         {"data", {{"digest", runtime::base64Encode("super:abc")}}}};
  transport->expectJson("GET", kSecretPath, 200, existing.dump());
  auto credentials = ensureSuperUserSecret(*client, makeCluster({{"replicas", 3}}));
  ASSERT_FALSE(credentials);
  EXPECT_EQ(credentials.error().step, "read Secret zk-super");
  EXPECT_NE(credentials.error().message.find("password"), std::string::npos);
  EXPECT_EQ(transport->requests().size(), 1u) << "a user's Secret is not replaced";
}

TEST_F(EnsureSuperUserSecret, WithAnEmptyOrUndecodablePasswordIsAnError) {
  for (const Json& password : {Json(""), Json("%%%not-base64"), Json(42)}) {
    transport->expectJson("GET", kSecretPath, 200, Json{{"data", {{"password", password}}}}.dump());
    auto credentials = ensureSuperUserSecret(*client, makeCluster({{"replicas", 3}}));
    EXPECT_FALSE(credentials) << password.dump();
  }
  transport->expectJson("GET", kSecretPath, 200, Json{{"metadata", Json::object()}}.dump());
  EXPECT_FALSE(ensureSuperUserSecret(*client, makeCluster({{"replicas", 3}}))) << "no data at all";
}

TEST_F(EnsureSuperUserSecret, ReportsReadAndCreateFailures) {
  transport->expectJson("GET", kSecretPath, 403, statusJson(403, "Forbidden"));
  auto read = ensureSuperUserSecret(*client, makeCluster({{"replicas", 3}}));
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().step, "read Secret zk-super");

  transport->expectJson("GET", kSecretPath, 404, statusJson(404, "NotFound"));
  transport->expectJson("POST", "/api/v1/namespaces/ns/secrets", 403, statusJson(403, "Forbidden"));
  auto created = ensureSuperUserSecret(*client, makeCluster({{"replicas", 3}}));
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().step, "create Secret zk-super");
}

}  // namespace
}  // namespace zkop::reconciler
