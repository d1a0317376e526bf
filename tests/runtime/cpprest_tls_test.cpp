// The real transport's TLS setup (CA, client certificate, verification) against
// `openssl s_server` on loopback, with certificates made for the test.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "operator/runtime/cpprest_transport.h"

extern char** environ;

namespace zkop::runtime {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

int freePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

bool accepting(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  ::close(fd);
  return ok;
}

class TlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("zkop-tls-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    const std::string d = dir_.string();
    // A CA, a server certificate for 127.0.0.1 and a client certificate, all signed by the CA.
    const std::string script =
        "set -e; cd " + d +
        "; openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=zkop-test-ca "
        "-keyout ca.key -out ca.pem 2>/dev/null"
        "; openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -keyout server.key "
        "-out server.csr 2>/dev/null"
        "; printf 'subjectAltName=IP:127.0.0.1\\n' > san.ext"
        "; openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 "
        "-extfile san.ext -out server.pem 2>/dev/null"
        "; openssl req -newkey rsa:2048 -nodes -subj /CN=zkop -keyout client.key -out client.csr "
        "2>/dev/null"
        "; openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 "
        "-out client.pem 2>/dev/null"
        "; echo '{\"major\":\"1\"}' > version";
    ASSERT_EQ(std::system(script.c_str()), 0);
    port_ = freePort();
    // -Verify 1: the server demands a client certificate signed by the CA.
    // -WWW: serves files from the working directory ("GET /version").
    std::vector<std::string> args = {"openssl",
                                     "s_server",
                                     "-quiet",
                                     "-accept",
                                     std::to_string(port_),
                                     "-cert",
                                     d + "/server.pem",
                                     "-key",
                                     d + "/server.key",
                                     "-CAfile",
                                     d + "/ca.pem",
                                     "-Verify",
                                     "1",
                                     "-WWW"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    // -WWW serves relative to the server's working directory; leave ours alone.
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addchdir_np(&actions, d.c_str());
    int rc = posix_spawnp(&server_pid_, "openssl", &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ASSERT_EQ(rc, 0);
    // Evidence, not time: wait until the port accepts connections.
    for (int i = 0; i < 500 && !accepting(port_); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_TRUE(accepting(port_)) << "openssl s_server did not start";
  }
  static void TearDownTestSuite() {
    if (server_pid_ > 0) {
      ::kill(server_pid_, SIGTERM);
      ::waitpid(server_pid_, nullptr, 0);
    }
    fs::remove_all(dir_);
  }

  RestConfig config(bool with_ca, bool with_client_cert) {
    RestConfig c;
    c.server = "https://127.0.0.1:" + std::to_string(port_);
    if (with_ca) c.tls.ca_pem = slurp(dir_ / "ca.pem");
    if (with_client_cert) {
      c.tls.client_cert_pem = slurp(dir_ / "client.pem");
      c.tls.client_key_pem = slurp(dir_ / "client.key");
    }
    return c;
  }
  static Result<HttpResponse> get(const RestConfig& c) {
    auto transport = makeCpprestTransport(c);
    if (!transport) return std::unexpected(transport.error());
    HttpRequest request;
    request.path = "/version";
    request.timeout = std::chrono::seconds(10);
    return (*transport)->send(request);
  }

  static inline fs::path dir_;
  static inline int port_ = 0;
  static inline pid_t server_pid_ = -1;
};

TEST_F(TlsTest, ConfiguredCaAndClientCertificateWork) {
  auto response = get(config(true, true));
  ASSERT_TRUE(response) << response.error().describe();
  EXPECT_EQ(response->status, 200);
  EXPECT_NE(response->body.find("\"major\""), std::string::npos) << response->body;
}

TEST_F(TlsTest, UnknownServerCaIsRejected) {
  auto response = get(config(false, true));
  ASSERT_FALSE(response);
  EXPECT_TRUE(response.error().is(ErrorCategory::kTransport));
}

TEST_F(TlsTest, MissingClientCertificateIsRejectedByTheServer) {
  auto response = get(config(true, false));
  ASSERT_FALSE(response) << response->status;
  EXPECT_TRUE(response.error().is(ErrorCategory::kTransport));
}

TEST_F(TlsTest, InsecureSkipVerifyTrustsAnyServer) {
  auto c = config(false, true);
  c.tls.insecure_skip_verify = true;
  auto response = get(c);
  ASSERT_TRUE(response) << response.error().describe();
  EXPECT_EQ(response->status, 200);
}

}  // namespace
}  // namespace zkop::runtime
