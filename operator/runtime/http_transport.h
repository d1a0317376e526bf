#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "operator/runtime/error.h"

namespace zkop::runtime {

struct HttpRequest {
  std::string method = "GET";
  // Path and query, already escaped, e.g. "/api/v1/namespaces/ns/pods?limit=500".
  std::string path;
  std::map<std::string, std::string> headers;
  std::string body;
  // Whole-request budget for plain requests; for streams, the longest silence between two
  // chunks before the stream is considered dead (must exceed the watch's timeoutSeconds).
  std::chrono::milliseconds timeout{std::chrono::seconds(30)};
};

struct HttpResponse {
  int status = 0;
  // Header names lower-cased.
  std::map<std::string, std::string> headers;
  std::string body;
};

// A response body read one line at a time (a watch: one JSON event per line).
//
// Thread-safety: readLine() is called from one thread (the reader); cancel() may be called from
// any other thread and makes a blocked readLine() return promptly with a Transport error.
class LineStream {
 public:
  virtual ~LineStream() = default;
  // The next line without its newline; std::nullopt at a clean end of stream; an error when
  // the connection broke, timed out or was cancelled.
  virtual Result<std::optional<std::string>> readLine() = 0;
  virtual void cancel() = 0;
};

// The one seam between the runtime and the network. Everything above it (client, informers,
// leader election) speaks JSON over this; the cpprestsdk implementation lives in
// cpprest_transport.cpp and nothing else includes cpprestsdk.
//
// Thread-safety: implementations are safe to use from many threads at once.
class HttpTransport {
 public:
  virtual ~HttpTransport() = default;

  // Sends a request and returns whatever status the server answered; only failures without a
  // response (connect, TLS, timeout, cancellation) are errors here.
  virtual Result<HttpResponse> send(const HttpRequest& request) = 0;

  // Opens a streaming request. On a 2xx answer returns the body as a LineStream; on any other
  // status returns the mapped API error (errorFromResponse) after reading the body.
  virtual Result<std::unique_ptr<LineStream>> stream(const HttpRequest& request) = 0;
};

}  // namespace zkop::runtime
