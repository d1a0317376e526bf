#include "operator/runtime/kubeconfig.h"

#include <gtest/gtest.h>

#include <fstream>

#include "operator/runtime/encoding.h"
#include "tests/runtime/fake_clock.h"

namespace zkop::runtime {
namespace {

namespace fs = std::filesystem;
using testing::FakeClock;

class KubeconfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("zkop-kubeconfig-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    options_.home = (dir_ / "home").string();
    options_.clock = clock_;
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path write(const std::string& name, const std::string& content) {
    fs::path p = dir_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << content;
    return p;
  }

  std::string header(const RestConfig& config) {
    if (!config.credentials) return "";
    auto h = config.credentials->authorizationHeader();
    return h ? *h : "error: " + h.error().message;
  }

  fs::path dir_;
  std::shared_ptr<FakeClock> clock_ = std::make_shared<FakeClock>();
  ConfigOptions options_;
};

constexpr const char* kBasic = R"(
apiVersion: v1
kind: Config
current-context: dev
contexts:
- name: dev
  context: {cluster: c1, user: u1, namespace: zk}
- name: other
  context: {cluster: c2, user: u2}
clusters:
- name: c1
  cluster: {server: "https://127.0.0.1:6443/", certificate-authority: ca.pem}
- name: c2
  cluster: {server: "https://other:443", insecure-skip-tls-verify: true}
users:
- name: u1
  user: {token: secret-token}
- name: u2
  user: {username: admin, password: pw}
)";

TEST_F(KubeconfigTest, ExplicitPathCurrentContextWithRelativeCaFile) {
  write("cfg/ca.pem", "CA-PEM");
  options_.kubeconfig_path = write("cfg/config", kBasic).string();
  auto config = loadKubeconfig(options_);
  ASSERT_TRUE(config) << config.error().describe();
  EXPECT_EQ(config->server, "https://127.0.0.1:6443");
  EXPECT_EQ(config->tls.ca_pem, "CA-PEM");
  EXPECT_EQ(config->namespace_name, "zk");
  EXPECT_EQ(header(*config), "Bearer secret-token");
}

TEST_F(KubeconfigTest, ContextOverride) {
  write("cfg/ca.pem", "CA-PEM");
  options_.kubeconfig_path = write("cfg/config", kBasic).string();
  options_.context = "other";
  auto config = loadKubeconfig(options_);
  ASSERT_TRUE(config) << config.error().describe();
  EXPECT_EQ(config->server, "https://other:443");
  EXPECT_TRUE(config->tls.insecure_skip_verify);
  EXPECT_EQ(config->namespace_name, "default");
  EXPECT_EQ(header(*config), "Basic " + base64Encode("admin:pw"));
}

TEST_F(KubeconfigTest, KubeconfigEnvMergesFirstWins) {
  auto first = write("a.yaml", R"(
current-context: from-a
contexts:
- name: from-a
  context: {cluster: shared, user: ua}
clusters:
- name: shared
  cluster: {server: "https://a:1"}
users:
- name: ua
  user: {token: token-a}
)");
  auto second = write("b.yaml", R"(
current-context: from-b
contexts:
- name: from-b
  context: {cluster: shared, user: ub}
clusters:
- name: shared
  cluster: {server: "https://b:2"}
- name: only-b
  cluster: {server: "https://b:3"}
users:
- name: ub
  user: {token: token-b}
)");
  options_.kubeconfig_env =
      first.string() + ":" + (dir_ / "missing.yaml").string() + ":" + second.string();
  auto config = loadKubeconfig(options_);
  ASSERT_TRUE(config) << config.error().describe();
  EXPECT_EQ(config->server, "https://a:1");  // current-context and cluster from the first file
  EXPECT_EQ(header(*config), "Bearer token-a");
  // A context only the second file defines still resolves, against the first file's cluster.
  options_.context = "from-b";
  auto b = loadKubeconfig(options_);
  ASSERT_TRUE(b) << b.error().describe();
  EXPECT_EQ(b->server, "https://a:1");
  EXPECT_EQ(header(*b), "Bearer token-b");
}

TEST_F(KubeconfigTest, HomeConfigIsTheFallback) {
  write("home/.kube/config", R"(
current-context: c
contexts: [{name: c, context: {cluster: k}}]
clusters: [{name: k, cluster: {server: "http://localhost:8001"}}]
)");
  auto config = loadRestConfig(options_);
  ASSERT_TRUE(config) << config.error().describe();
  EXPECT_EQ(config->server, "http://localhost:8001");
  EXPECT_EQ(config->credentials, nullptr);
}

TEST_F(KubeconfigTest, InlineDataFieldsWinOverFiles) {
  options_.kubeconfig_path = write("config", R"(
current-context: c
contexts: [{name: c, context: {cluster: k, user: u}}]
clusters:
- name: k
  cluster: {server: "https://k:6443", certificate-authority-data: )" +
                                                 base64Encode("INLINE-CA") +
                                                 R"(, certificate-authority: /nonexistent}
users:
- name: u
  user:
    client-certificate-data: )" + base64Encode("CERT") +
                                                 R"(
    client-key-data: )" + base64Encode("KEY") + R"(
)")
                                 .string();
  auto config = loadKubeconfig(options_);
  ASSERT_TRUE(config) << config.error().describe();
  EXPECT_EQ(config->tls.ca_pem, "INLINE-CA");
  EXPECT_EQ(config->tls.client_cert_pem, "CERT");
  EXPECT_EQ(config->tls.client_key_pem, "KEY");
}

TEST_F(KubeconfigTest, TokenFileIsReReadAfterAMinute) {
  auto token = write("token", "one\n");
  options_.kubeconfig_path = write("config", R"(
current-context: c
contexts: [{name: c, context: {cluster: k, user: u}}]
clusters: [{name: k, cluster: {server: "https://k"}}]
users: [{name: u, user: {tokenFile: token}}]
)")
                                 .string();
  auto config = loadKubeconfig(options_);
  ASSERT_TRUE(config) << config.error().describe();
  EXPECT_EQ(header(*config), "Bearer one");
  write("token", "two\n");
  EXPECT_EQ(header(*config), "Bearer one");  // cached
  clock_->advance(std::chrono::seconds(61));
  EXPECT_EQ(header(*config), "Bearer two");
}

TEST_F(KubeconfigTest, ExecPluginTokenIsCachedUntilExpiry) {
  int runs = 0;
  std::vector<std::pair<std::string, std::string>> seen_env;
  options_.exec_runner =
      [&](const std::string& command, const std::vector<std::string>& args,
          const std::vector<std::pair<std::string, std::string>>& env) -> Result<std::string> {
    ++runs;
    seen_env = env;
    EXPECT_EQ(command, "get-token");
    EXPECT_EQ(args, std::vector<std::string>{"--cluster=x"});
    // Expires one hour after the fake clock's wall-clock start.
    auto expiry = formatRfc3339(clock_->wallNow() + std::chrono::hours(1));
    return R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential",)"
           R"("status":{"token":"tok-)" +
           std::to_string(runs) + R"(","expirationTimestamp":")" + expiry + "\"}}";
  };
  options_.kubeconfig_path = write("config", R"(
current-context: c
contexts: [{name: c, context: {cluster: k, user: u}}]
clusters: [{name: k, cluster: {server: "https://k"}}]
users:
- name: u
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: get-token
      args: ["--cluster=x"]
      env: [{name: FOO, value: bar}]
)")
                                 .string();
  auto config = loadKubeconfig(options_);
  ASSERT_TRUE(config) << config.error().describe();
  EXPECT_EQ(header(*config), "Bearer tok-1");
  EXPECT_EQ(header(*config), "Bearer tok-1");
  EXPECT_EQ(runs, 1);
  ASSERT_EQ(seen_env.size(), 2u);
  EXPECT_EQ(seen_env[0], (std::pair<std::string, std::string>{"FOO", "bar"}));
  EXPECT_EQ(seen_env[1].first, "KUBERNETES_EXEC_INFO");
  clock_->advance(std::chrono::minutes(61));
  EXPECT_EQ(header(*config), "Bearer tok-2");
  config->credentials->invalidate();
  EXPECT_EQ(header(*config), "Bearer tok-3");
}

TEST_F(KubeconfigTest, ExecPluginRunsARealProcess) {
  auto script = write("plugin.sh", R"(#!/bin/sh
echo '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"'"$MY_VAR"'"}}'
)");
  fs::permissions(script, fs::perms::owner_all);
  options_.kubeconfig_path = write("config", R"(
current-context: c
contexts: [{name: c, context: {cluster: k, user: u}}]
clusters: [{name: k, cluster: {server: "https://k"}}]
users:
- name: u
  user:
    exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: ./plugin.sh, env: [{name: MY_VAR, value: from-env}]}
)")
                                 .string();
  auto config = loadKubeconfig(options_);
  ASSERT_TRUE(config) << config.error().describe();
  EXPECT_EQ(header(*config), "Bearer from-env");
}

TEST_F(KubeconfigTest, ExecPluginFailureIsAClearError) {
  auto script = write("fail.sh", "#!/bin/sh\necho 'no credentials' >&2\nexit 3\n");
  fs::permissions(script, fs::perms::owner_all);
  options_.kubeconfig_path = write("config", R"(
current-context: c
contexts: [{name: c, context: {cluster: k, user: u}}]
clusters: [{name: k, cluster: {server: "https://k"}}]
users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: ./fail.sh, installHint: "install fail.sh"}}}]
)")
                                 .string();
  auto config = loadKubeconfig(options_);
  ASSERT_TRUE(config);
  auto h = config->credentials->authorizationHeader();
  ASSERT_FALSE(h);
  EXPECT_NE(h.error().message.find("exit code 3"), std::string::npos) << h.error().message;
  EXPECT_NE(h.error().message.find("no credentials"), std::string::npos);
  EXPECT_NE(h.error().message.find("install fail.sh"), std::string::npos);
}

struct Misconfig {
  const char* name;
  const char* yaml;
  const char* expected;
};

class KubeconfigErrors : public KubeconfigTest, public ::testing::WithParamInterface<Misconfig> {};

TEST_P(KubeconfigErrors, SaysWhatIsWrong) {
  options_.kubeconfig_path = write("config", GetParam().yaml).string();
  auto config = loadKubeconfig(options_);
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().category, ErrorCategory::kConfig);
  EXPECT_NE(config.error().message.find(GetParam().expected), std::string::npos)
      << config.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    All, KubeconfigErrors,
    ::testing::Values(
        Misconfig{"NoCurrentContext", "clusters: []", "no current-context"},
        Misconfig{"UnknownContext", "current-context: nope\ncontexts: []",
                  "context \"nope\" does not exist"},
        Misconfig{"UnknownCluster",
                  "current-context: c\ncontexts: [{name: c, context: {cluster: k}}]",
                  "refers to cluster \"k\""},
        Misconfig{"UnknownUser",
                  "current-context: c\ncontexts: [{name: c, context: {cluster: k, user: u}}]\n"
                  "clusters: [{name: k, cluster: {server: 'https://k'}}]",
                  "refers to user \"u\""},
        Misconfig{"NoServer",
                  "current-context: c\ncontexts: [{name: c, context: {cluster: k}}]\n"
                  "clusters: [{name: k, cluster: {}}]",
                  "has no server"},
        Misconfig{"MissingCaFile",
                  "current-context: c\ncontexts: [{name: c, context: {cluster: k}}]\n"
                  "clusters: [{name: k, cluster: {server: 'https://k', certificate-authority: "
                  "nope.pem}}]",
                  "cannot read cluster \"k\" certificate-authority"},
        Misconfig{"InsecureWithCa",
                  "current-context: c\ncontexts: [{name: c, context: {cluster: k}}]\n"
                  "clusters: [{name: k, cluster: {server: 'https://k', insecure-skip-tls-verify: "
                  "true, certificate-authority-data: Q0E=}}]",
                  "insecure flag is not allowed"},
        Misconfig{"CertWithoutKey",
                  "current-context: c\ncontexts: [{name: c, context: {cluster: k, user: u}}]\n"
                  "clusters: [{name: k, cluster: {server: 'https://k'}}]\n"
                  "users: [{name: u, user: {client-certificate-data: Q0E=}}]",
                  "must be given together"},
        Misconfig{"TokenAndBasic",
                  "current-context: c\ncontexts: [{name: c, context: {cluster: k, user: u}}]\n"
                  "clusters: [{name: k, cluster: {server: 'https://k'}}]\n"
                  "users: [{name: u, user: {token: t, username: a, password: b}}]",
                  "but not both"},
        Misconfig{"BadYaml", "current-context: [unclosed", "not valid YAML"}),
    [](const auto& p) { return std::string(p.param.name); });

TEST_F(KubeconfigTest, MissingExplicitFile) {
  options_.kubeconfig_path = (dir_ / "nope").string();
  auto config = loadRestConfig(options_);
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().message.find("does not exist"), std::string::npos);
}

TEST_F(KubeconfigTest, NothingConfigured) {
  auto config = loadRestConfig(options_);
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().message.find("not running in a cluster"), std::string::npos)
      << config.error().message;
}

TEST_F(KubeconfigTest, InClusterReadsServiceAccountAndRotatesToken) {
  write("sa/token", "sa-token-1");
  write("sa/ca.crt", "CLUSTER-CA");
  write("sa/namespace", "zk-system\n");
  options_.service_account_dir = dir_ / "sa";
  options_.service_host = "10.0.0.1";
  options_.service_port = "443";
  auto config = loadRestConfig(options_);
  ASSERT_TRUE(config) << config.error().describe();
  EXPECT_EQ(config->server, "https://10.0.0.1:443");
  EXPECT_EQ(config->tls.ca_pem, "CLUSTER-CA");
  EXPECT_EQ(config->namespace_name, "zk-system");
  EXPECT_EQ(header(*config), "Bearer sa-token-1");
  write("sa/token", "sa-token-2");
  clock_->advance(std::chrono::minutes(2));
  EXPECT_EQ(header(*config), "Bearer sa-token-2");
}

TEST_F(KubeconfigTest, InClusterIpv6AndMissingPieces) {
  options_.service_account_dir = dir_ / "sa";
  options_.service_host = "fd00::1";
  options_.service_port = "6443";
  auto missing_token = loadInClusterConfig(options_);
  ASSERT_FALSE(missing_token);
  EXPECT_NE(missing_token.error().message.find("token"), std::string::npos);
  write("sa/token", "t");
  auto missing_ca = loadInClusterConfig(options_);
  ASSERT_FALSE(missing_ca);
  EXPECT_NE(missing_ca.error().message.find("ca.crt"), std::string::npos);
  write("sa/ca.crt", "CA");
  auto ok = loadInClusterConfig(options_);
  ASSERT_TRUE(ok) << ok.error().describe();
  EXPECT_EQ(ok->server, "https://[fd00::1]:6443");
  options_.service_port.reset();
  auto no_env = loadInClusterConfig(options_);
  ASSERT_FALSE(no_env);
  EXPECT_NE(no_env.error().message.find("KUBERNETES_SERVICE_PORT"), std::string::npos);
}

}  // namespace
}  // namespace zkop::runtime
