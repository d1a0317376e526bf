// The real transport against a real (loopback) socket.
#include "operator/runtime/cpprest_transport.h"

#include <gtest/gtest.h>

#include <thread>

#include "operator/runtime/client.h"
#include "operator/runtime/credentials.h"
#include "tests/runtime/loopback_server.h"

namespace zkop::runtime {
namespace {

using testing::LoopbackServer;

struct CpprestTransportTest : ::testing::Test {
  LoopbackServer server;
  std::unique_ptr<HttpTransport> transport;

  void SetUp() override {
    RestConfig config;
    config.server = server.url();
    config.credentials = StaticCredentials::bearer("t0ken");
    auto t = makeCpprestTransport(config);
    ASSERT_TRUE(t) << t.error().describe();
    transport = std::move(*t);
  }
};

TEST_F(CpprestTransportTest, SendsRequestWithTokenAndReadsResponse) {
  server.script(LoopbackServer::plain(201, R"({"metadata":{"name":"cm"}})", "Retry-After: 3\r\n"));
  HttpRequest request;
  request.method = "POST";
  request.path = "/api/v1/namespaces/ns/configmaps?fieldManager=zkop";
  request.headers["Content-Type"] = "application/json";
  request.body = R"({"metadata":{"name":"cm"}})";
  auto response = transport->send(request);
  ASSERT_TRUE(response) << response.error().describe();
  EXPECT_EQ(response->status, 201);
  EXPECT_EQ(response->body, R"({"metadata":{"name":"cm"}})");
  EXPECT_EQ(response->headers["retry-after"], "3");
  auto seen = server.requests().at(0);
  EXPECT_EQ(seen.rfind("POST /api/v1/namespaces/ns/configmaps?fieldManager=zkop HTTP/1.1", 0), 0u)
      << seen;
  EXPECT_NE(seen.find("Authorization:Bearer t0ken"), std::string::npos) << seen;
  EXPECT_NE(seen.find(R"({"metadata":{"name":"cm"}})"), std::string::npos);
}

TEST_F(CpprestTransportTest, ErrorStatusIsAResponseForSendAndAnErrorForStream) {
  const std::string status = R"({"kind":"Status","code":410,"reason":"Expired","message":"old"})";
  server.script(LoopbackServer::plain(410, status));
  server.script(LoopbackServer::plain(410, status));
  HttpRequest request;
  request.path = "/api/v1/pods";
  auto response = transport->send(request);
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 410);
  auto stream = transport->stream(request);
  ASSERT_FALSE(stream);
  EXPECT_TRUE(stream.error().is(ErrorCategory::kGone));
  EXPECT_EQ(stream.error().message, "old");
}

TEST_F(CpprestTransportTest, StreamReadsLinesAcrossChunkBoundaries) {
  server.script(LoopbackServer::chunked(
      {"{\"type\":\"ADDED\"}\n{\"type\":", "\"MODIFIED\"}\n", "{\"type\":\"DELETED\"}\n"}));
  HttpRequest request;
  request.path = "/api/v1/pods?watch=true";
  auto stream = transport->stream(request);
  ASSERT_TRUE(stream) << stream.error().describe();
  std::vector<std::string> lines;
  for (;;) {
    auto line = (*stream)->readLine();
    ASSERT_TRUE(line) << line.error().describe();
    if (!*line) break;
    if (!(*line)->empty()) lines.push_back(**line);
  }
  EXPECT_EQ(lines, (std::vector<std::string>{R"({"type":"ADDED"})", R"({"type":"MODIFIED"})",
                                             R"({"type":"DELETED"})"}));
}

TEST_F(CpprestTransportTest, CancelUnblocksAQuietWatch) {
  server.script(LoopbackServer::chunked({"{\"type\":\"ADDED\"}\n"}, /*hold_open=*/true));
  HttpRequest request;
  request.path = "/api/v1/pods?watch=true";
  request.timeout = std::chrono::minutes(10);
  auto stream = transport->stream(request);
  ASSERT_TRUE(stream) << stream.error().describe();
  auto first = (*stream)->readLine();
  ASSERT_TRUE(first && *first);
  std::thread reader([&] {
    auto line = (*stream)->readLine();  // blocks: the server says nothing more
    EXPECT_FALSE(line);
  });
  (*stream)->cancel();
  reader.join();
  server.waitForClientClose();
}

TEST_F(CpprestTransportTest, ConnectionRefusedIsATransportError) {
  RestConfig config;
  config.server = "http://127.0.0.1:1";
  auto t = makeCpprestTransport(config);
  ASSERT_TRUE(t);
  HttpRequest request;
  request.path = "/version";
  request.timeout = std::chrono::seconds(5);
  auto response = (*t)->send(request);
  ASSERT_FALSE(response);
  EXPECT_TRUE(response.error().is(ErrorCategory::kTransport));
}

TEST_F(CpprestTransportTest, ClientOverTheRealTransportMapsStatus) {
  server.script(LoopbackServer::plain(
      404, R"({"kind":"Status","code":404,"reason":"NotFound","message":"pods \"p\" not found"})"));
  Client client{std::shared_ptr<HttpTransport>(std::move(transport))};
  auto r = client.get(resources::kPod, "ns", "p");
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().is(ErrorCategory::kNotFound));
  EXPECT_EQ(r.error().message, "pods \"p\" not found");
}

}  // namespace
}  // namespace zkop::runtime
