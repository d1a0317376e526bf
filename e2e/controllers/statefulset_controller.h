#pragma once

// The sandbox's StatefulSet controller, I/O part: informers on StatefulSets, Pods and
// PersistentVolumeClaims feed a work queue keyed by StatefulSet (pods map to their controlling
// owner by ownerReference, claims wake every set of their namespace); each reconcile hands the
// cached set, its pods and the namespace's claim names to syncStatefulSet (the pure decision
// part) and applies the actions through the API: create claims, then pods, delete pods (with a
// uid precondition, so a recreated pod of the same name is never hit), delete claims, and write
// /status when it changed.
//
// Creating something the cache does not show yet answers AlreadyExists and is ignored; the
// informer's event brings the next reconcile (kube-controller-manager uses "expectations" for
// the same purpose). Every create and delete is recorded as an Event on the set, with the
// reasons kube-controller-manager uses (SuccessfulCreate, SuccessfulDelete).

#include <memory>
#include <string>

#include "e2e/controllers/running_informer.h"
#include "operator/runtime/client.h"
#include "operator/runtime/controller.h"
#include "operator/runtime/event_recorder.h"

namespace zkop::sandbox {

class StatefulSetController {
 public:
  explicit StatefulSetController(std::shared_ptr<runtime::Client> client);
  ~StatefulSetController();
  StatefulSetController(const StatefulSetController&) = delete;
  StatefulSetController& operator=(const StatefulSetController&) = delete;

  // Starts the informers, waits for their first list, then the workers.
  void start();
  void stop();

  runtime::ReconcileResult reconcile(const std::string& key);

 private:
  std::shared_ptr<runtime::Client> client_;
  RunningInformer sets_;
  RunningInformer pods_;
  RunningInformer claims_;
  runtime::EventRecorder events_;
  runtime::Controller controller_;
};

}  // namespace zkop::sandbox
