#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "operator/runtime/clock.h"
#include "operator/runtime/error.h"
#include "operator/runtime/informer.h"
#include "operator/runtime/work_queue.h"

namespace zkop::runtime {

// What a reconcile asks for next. Small on purpose (kube-rs' Action): the reconciler says
// "done" or "look again after d"; retries after failures are the error policy's business.
struct Action {
  enum class Kind { kDone, kRequeueAfter, kRequeueRateLimited };
  Kind kind = Kind::kDone;
  Clock::Duration after{};

  // Nothing more to do until something changes (a watch event enqueues the key again).
  static Action done() { return {}; }
  // Look again after `d` even if nothing changes (waiting for ZooKeeper to catch up, say).
  static Action requeueAfter(Clock::Duration d) { return {Kind::kRequeueAfter, d}; }
  // Look again after the key's exponential backoff (what the default error policy uses).
  static Action requeueRateLimited() { return {Kind::kRequeueRateLimited, {}}; }

  bool operator==(const Action&) const = default;
};

// A failed reconcile: the step that failed and why, with the API error when there was one.
struct ReconcileError {
  std::string step;
  std::string message;
  std::optional<Error> cause;

  static ReconcileError from(std::string step, const Error& error) {
    return ReconcileError{std::move(step), error.describe(), error};
  }
  std::string describe() const { return step.empty() ? message : step + ": " + message; }
};

using ReconcileResult = std::expected<Action, ReconcileError>;
// Reconciles one key ("namespace/name"). Called by one worker at a time per key.
using Reconciler = std::function<ReconcileResult(const std::string& key)>;
// The one place that turns errors into retries. `retries` is how often the key has failed in a
// row so far.
using ErrorPolicy =
    std::function<Action(const std::string& key, const ReconcileError& error, int retries)>;

// Honors a server's Retry-After, else backs off per key (5 ms doubling to 1000 s, overall
// 10 qps) like controller-runtime.
Action defaultErrorPolicy(const std::string& key, const ReconcileError& error, int retries);

// controller_runtime_reconcile_* metrics; implemented by Metrics (metrics.h).
class ControllerMetrics {
 public:
  virtual ~ControllerMetrics() = default;
  // result: "success", "error", "requeue" (rate-limited) or "requeue_after".
  virtual void reconciled(const std::string& controller, const std::string& result,
                          Clock::Duration took) = 0;
  virtual void activeWorkers(const std::string& controller, int delta) = 0;
};

struct ControllerConfig {
  std::string name = "zookeepercluster";
  int workers = 1;

  ControllerConfig& withName(std::string n) {
    name = std::move(n);
    return *this;
  }
  ControllerConfig& withWorkers(int n) {
    workers = n;
    return *this;
  }
};

// The key of the object's controlling owner ("namespace/ownerName") when it has an
// ownerReference with controller=true of the given kind and API group; owners are always in
// the owned object's namespace.
std::optional<std::string> controllerOwnerKey(const Json& object, std::string_view owner_kind,
                                              std::string_view owner_group);

// Runs a Reconciler over a WorkQueue with N workers. The queue guarantees one key is never
// reconciled twice at once; the Action decides when it is looked at again.
//
// Thread-safety: enqueue(), the handlers and stop() may be called from any thread; start()
// and stop() from one controlling thread.
class Controller {
 public:
  struct Dependencies {
    std::shared_ptr<Clock> clock = std::make_shared<SystemClock>();
    ErrorPolicy error_policy = defaultErrorPolicy;
    std::unique_ptr<RateLimiter> rate_limiter;  // null: defaultControllerRateLimiter
    std::shared_ptr<ControllerMetrics> metrics;
    std::shared_ptr<WorkQueueMetrics> queue_metrics;
  };

  Controller(ControllerConfig config, Reconciler reconciler, Dependencies deps);
  ~Controller();
  Controller(const Controller&) = delete;
  Controller& operator=(const Controller&) = delete;

  void enqueue(const std::string& key) { queue_.add(key); }
  WorkQueue& queue() { return queue_; }
  const ControllerConfig& config() const { return config_; }

  // Informer handlers: the object's own key, or its controlling owner's key.
  EventHandler forPrimary();
  EventHandler forOwned(std::string owner_kind, std::string owner_group);

  // One turn of a worker: take a key, reconcile, apply the Action. False once shut down.
  bool processNextItem();

  void start();
  // Stops taking new keys, lets in-flight reconciles finish, joins the workers.
  void stop();

 private:
  void apply(const std::string& key, const Action& action);

  ControllerConfig config_;
  Reconciler reconciler_;
  std::shared_ptr<Clock> clock_;
  ErrorPolicy error_policy_;
  std::shared_ptr<ControllerMetrics> metrics_;
  WorkQueue queue_;
  std::vector<std::jthread> workers_;
};

}  // namespace zkop::runtime
