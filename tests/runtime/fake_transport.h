#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "operator/runtime/http_transport.h"

namespace zkop::runtime::testing {

// A watch body scripted line by line. When the script runs out the stream ends cleanly, or,
// with block_at_end, waits until cancelled (a live, quiet watch).
class FakeLineStream final : public LineStream {
 public:
  FakeLineStream(std::deque<Result<std::optional<std::string>>> script, bool block_at_end)
      : script_(std::move(script)), block_at_end_(block_at_end) {}

  Result<std::optional<std::string>> readLine() override {
    std::unique_lock lock(mutex_);
    if (script_.empty() && block_at_end_) cv_.wait(lock, [&] { return cancelled_; });
    if (cancelled_) return fail(ErrorCategory::kTransport, "cancelled");
    if (script_.empty()) return std::optional<std::string>();
    auto next = std::move(script_.front());
    script_.pop_front();
    return next;
  }
  void cancel() override {
    std::lock_guard lock(mutex_);
    cancelled_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<Result<std::optional<std::string>>> script_;
  bool block_at_end_;
  bool cancelled_ = false;
};

// An HttpTransport that answers from a script: each expectation matches a method and a path
// prefix and is used once, in order. Every request is recorded for assertions.
class FakeTransport final : public HttpTransport {
 public:
  struct StreamScript {
    std::deque<Result<std::optional<std::string>>> lines;
    bool block_at_end = false;
  };

  void expect(std::string method, std::string path_prefix, Result<HttpResponse> response) {
    std::lock_guard lock(mutex_);
    rules_.push_back(
        Rule{std::move(method), std::move(path_prefix), std::move(response), {}, false});
  }
  void expectJson(std::string method, std::string path_prefix, int status,
                  const std::string& body) {
    expect(std::move(method), std::move(path_prefix), HttpResponse{status, {}, body});
  }
  // A watch: opens with 200 and then yields `lines` (event JSON strings or errors).
  void expectStream(std::string path_prefix, StreamScript script) {
    std::lock_guard lock(mutex_);
    rules_.push_back(
        Rule{"GET", std::move(path_prefix), HttpResponse{200, {}, ""}, std::move(script), true});
  }
  // A watch request refused with an error status.
  void expectStreamError(std::string path_prefix, int status, const std::string& body) {
    std::lock_guard lock(mutex_);
    rules_.push_back(Rule{"GET", std::move(path_prefix), HttpResponse{status, {}, body}, {}, true});
  }

  Result<HttpResponse> send(const HttpRequest& request) override {
    std::lock_guard lock(mutex_);
    requests_.push_back(request);
    for (auto it = rules_.begin(); it != rules_.end(); ++it) {
      if (!it->stream && matches(*it, request)) {
        auto response = std::move(it->response);
        rules_.erase(it);
        return response;
      }
    }
    return fail(ErrorCategory::kTransport,
                "unscripted request " + request.method + " " + request.path);
  }

  Result<std::unique_ptr<LineStream>> stream(const HttpRequest& request) override {
    std::lock_guard lock(mutex_);
    requests_.push_back(request);
    for (auto it = rules_.begin(); it != rules_.end(); ++it) {
      if (it->stream && matches(*it, request)) {
        Rule rule = std::move(*it);
        rules_.erase(it);
        if (!rule.response) return std::unexpected(rule.response.error());
        if (rule.response->status >= 300) {
          return std::unexpected(errorFromResponse(rule.response->status, rule.response->body));
        }
        return std::unique_ptr<LineStream>(std::make_unique<FakeLineStream>(
            std::move(rule.script.lines), rule.script.block_at_end));
      }
    }
    return fail(ErrorCategory::kTransport, "unscripted watch " + request.path);
  }

  std::vector<HttpRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  size_t pending() const {
    std::lock_guard lock(mutex_);
    return rules_.size();
  }

 private:
  struct Rule {
    std::string method;
    std::string path_prefix;
    Result<HttpResponse> response;
    StreamScript script;
    bool stream;
  };
  static bool matches(const Rule& rule, const HttpRequest& request) {
    return rule.method == request.method && request.path.rfind(rule.path_prefix, 0) == 0;
  }

  mutable std::mutex mutex_;
  std::deque<Rule> rules_;
  std::vector<HttpRequest> requests_;
};

}  // namespace zkop::runtime::testing
