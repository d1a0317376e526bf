#pragma once

// Performs the I/O of one planner step on the members: deletes a pod (restart, stop, clean
// start), one conditional `reconfig`, a leadership hand-off, a write barrier, or empties a
// member's data volume. Steps that only change the operator's own records (AssignMyid,
// WriteServerList) and the StatefulSet sizes are applied by the reconciler through the
// rendered objects before this runs; see docs/reconciler.md.

#include <expected>
#include <functional>
#include <memory>
#include <optional>

#include "controllers/api/cluster_types.h"
#include "controllers/planner/step.h"
#include "operator/reconciler/cluster_observer.h"
#include "operator/reconciler/super_user_secret.h"
#include "operator/runtime/client.h"
#include "operator/runtime/controller.h"
#include "operator/zookeeper/session.h"
#include "operator/zookeeper/zookeeper_admin.h"

namespace zkop::reconciler {

using AdminFactory =
    std::function<std::expected<std::unique_ptr<zookeeper::ZooKeeperAdmin>, zookeeper::ZkError>(
        const zookeeper::SessionConfig&)>;

// The production factory: CClientAdmin.
AdminFactory cClientAdminFactory();

struct StepContext {
  const api::ZookeeperCluster& cluster;  // defaulted
  const Observation& observation;
  const SuperUserCredentials& credentials;
};

// What the step established, for status.
struct StepEffect {
  std::optional<std::int64_t> barrierConfigVersion;  // a barrier committed under this version
};

class StepActuator {
 public:
  StepActuator(std::shared_ptr<runtime::Client> client, AdminFactory admins);

  std::expected<StepEffect, runtime::ReconcileError> perform(const StepContext& context,
                                                             const planner::Step& step) const;

 private:
  std::expected<void, runtime::ReconcileError> deletePod(const StepContext& context,
                                                         const planner::MemberSlot& slot) const;
  std::expected<std::unique_ptr<zookeeper::ZooKeeperAdmin>, runtime::ReconcileError> connect(
      const StepContext& context) const;

  std::shared_ptr<runtime::Client> client_;
  AdminFactory admins_;
};

}  // namespace zkop::reconciler
