#include "operator/runtime/controller.h"

#include <spdlog/spdlog.h>

namespace zkop::runtime {

Action defaultErrorPolicy(const std::string&, const ReconcileError& error, int) {
  if (error.cause && error.cause->retry_after) {
    return Action::requeueAfter(*error.cause->retry_after);
  }
  return Action::requeueRateLimited();
}

std::optional<std::string> controllerOwnerKey(const Json& object, std::string_view owner_kind,
                                              std::string_view owner_group) {
  if (!object.is_object() || !object.contains("metadata")) return std::nullopt;
  const auto& meta = object["metadata"];
  if (!meta.is_object() || !meta.contains("ownerReferences")) return std::nullopt;
  const auto& refs = meta["ownerReferences"];
  if (!refs.is_array()) return std::nullopt;
  for (const auto& ref : refs) {
    if (!ref.is_object() || !ref.value("controller", false)) continue;
    if (ref.value("kind", "") != owner_kind) continue;
    // apiVersion is "group/version" (or just "version" for the core group).
    std::string api_version = ref.value("apiVersion", "");
    auto slash = api_version.find('/');
    std::string group = slash == std::string::npos ? "" : api_version.substr(0, slash);
    if (group != owner_group) continue;
    std::string ns = meta.value("namespace", "");
    std::string name = ref.value("name", "");
    return ns.empty() ? name : ns + "/" + name;
  }
  return std::nullopt;
}

Controller::Controller(ControllerConfig config, Reconciler reconciler, Dependencies deps)
    : config_(std::move(config)),
      reconciler_(std::move(reconciler)),
      clock_(deps.clock),
      error_policy_(deps.error_policy ? std::move(deps.error_policy) : defaultErrorPolicy),
      metrics_(std::move(deps.metrics)),
      queue_(deps.clock,
             deps.rate_limiter ? std::move(deps.rate_limiter)
                               : defaultControllerRateLimiter(deps.clock),
             std::move(deps.queue_metrics)) {}

Controller::~Controller() { stop(); }

EventHandler Controller::forPrimary() {
  auto enqueue_object = [this](const ObjectPtr& o) { queue_.add(objectKey(*o)); };
  return EventHandler{enqueue_object,
                      [this](const ObjectPtr&, const ObjectPtr& o) { queue_.add(objectKey(*o)); },
                      enqueue_object};
}

EventHandler Controller::forOwned(std::string owner_kind, std::string owner_group) {
  auto enqueue_owner = [this, owner_kind, owner_group](const ObjectPtr& o) {
    if (auto key = controllerOwnerKey(*o, owner_kind, owner_group)) queue_.add(*key);
  };
  return EventHandler{enqueue_owner,
                      [enqueue_owner](const ObjectPtr& old_object, const ObjectPtr& new_object) {
                        // Both: an object moved from one owner to another must wake both.
                        enqueue_owner(old_object);
                        enqueue_owner(new_object);
                      },
                      enqueue_owner};
}

void Controller::apply(const std::string& key, const Action& action) {
  switch (action.kind) {
    case Action::Kind::kDone:
      queue_.forget(key);
      break;
    case Action::Kind::kRequeueAfter:
      queue_.forget(key);
      queue_.addAfter(key, action.after);
      break;
    case Action::Kind::kRequeueRateLimited:
      queue_.addRateLimited(key);
      break;
  }
}

bool Controller::processNextItem() {
  auto key = queue_.get();
  if (!key) return false;
  const auto started = clock_->now();
  ReconcileResult result;
  try {
    result = reconciler_(*key);
  } catch (const std::exception& e) {
    // A throwing reconciler is a bug, but one bad object must not take the worker down.
    result =
        std::unexpected(ReconcileError{"reconcile", std::string("exception: ") + e.what(), {}});
  }
  const auto took = clock_->now() - started;
  std::string label;
  Action action;
  if (result) {
    action = *result;
    label = action.kind == Action::Kind::kRequeueAfter         ? "requeue_after"
            : action.kind == Action::Kind::kRequeueRateLimited ? "requeue"
                                                               : "success";
  } else {
    label = "error";
    action = error_policy_(*key, result.error(), queue_.numRequeues(*key));
    spdlog::warn("controller {}: reconcile {} failed: {}", config_.name, *key,
                 result.error().describe());
  }
  if (metrics_) metrics_->reconciled(config_.name, label, took);
  apply(*key, action);
  queue_.done(*key);
  return true;
}

void Controller::start() {
  if (!workers_.empty()) return;
  for (int i = 0; i < config_.workers; ++i) {
    workers_.emplace_back([this] {
      if (metrics_) metrics_->activeWorkers(config_.name, 1);
      while (processNextItem()) {
      }
      if (metrics_) metrics_->activeWorkers(config_.name, -1);
    });
  }
}

void Controller::stop() {
  queue_.shutDownWithDrain();
  workers_.clear();  // jthread joins
}

}  // namespace zkop::runtime
