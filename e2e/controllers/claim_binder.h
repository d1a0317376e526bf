#pragma once

// The sandbox has no volume provisioner: every PersistentVolumeClaim is "bound" as soon as it
// exists (status.phase Bound, capacity = the requested size, the requested access modes), and
// the node agent backs it with a directory under the state dir. This controller writes that
// status, as the PV controller would after dynamic provisioning.

#include <memory>
#include <string>

#include "e2e/controllers/running_informer.h"
#include "operator/runtime/client.h"
#include "operator/runtime/controller.h"

namespace zkop::sandbox {

using runtime::Json;

// The status a claim gets when bound (pure; tested).
Json boundClaimStatus(const Json& claim);

class ClaimBinder {
 public:
  explicit ClaimBinder(std::shared_ptr<runtime::Client> client);
  ~ClaimBinder();
  ClaimBinder(const ClaimBinder&) = delete;
  ClaimBinder& operator=(const ClaimBinder&) = delete;

  void start();
  void stop();
  runtime::ReconcileResult reconcile(const std::string& key);

 private:
  std::shared_ptr<runtime::Client> client_;
  RunningInformer claims_;
  runtime::Controller controller_;
};

}  // namespace zkop::sandbox
