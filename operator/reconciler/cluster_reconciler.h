#pragma once

// Reconciles one ZookeeperCluster. This build carries the parts that need no member
// actuator yet: it refuses invalid specs and unsafe changes (a condition and a Warning
// event, nothing else touched), owns the finalizer and honours persistence.reclaimPolicy on
// deletion, and keeps status current (observedGeneration, selector, replicas, targetVersion,
// conditions, and the plan's next step). Creating and changing members (observer, actuator)
// is the next layer; until then Progressing says what the planner would do next.

#include <memory>
#include <string>

#include "controllers/api/json.h"
#include "operator/runtime/client.h"
#include "operator/runtime/clock.h"
#include "operator/runtime/controller.h"
#include "operator/runtime/event_recorder.h"
#include "operator/runtime/store.h"

namespace zkop::reconciler {

inline constexpr std::string_view kFinalizer = "zkop.io/cleanup";

class ClusterReconciler {
 public:
  ClusterReconciler(std::shared_ptr<runtime::Client> client, const runtime::Store& clusters,
                    std::shared_ptr<runtime::EventRecorder> events,
                    std::shared_ptr<runtime::Clock> clock);

  runtime::ReconcileResult reconcile(const std::string& key);

 private:
  runtime::ReconcileResult cleanup(const Json& object);
  // Writes `status` through /status when it differs from what the object has.
  runtime::ReconcileResult writeStatus(const Json& object, const Json& status);

  std::shared_ptr<runtime::Client> client_;
  const runtime::Store& clusters_;
  std::shared_ptr<runtime::EventRecorder> events_;
  std::shared_ptr<runtime::Clock> clock_;
};

}  // namespace zkop::reconciler
