#include "e2e/controllers/statefulset_controller.h"

#include <set>
#include <vector>

#include <spdlog/spdlog.h>

#include "e2e/controllers/statefulset_sync.h"

namespace zkop::sandbox {
namespace {

namespace res = runtime::resources;
using runtime::ErrorCategory;
using runtime::ReconcileError;

bool ownedBy(const Json& object, const std::string& uid) {
  for (const auto& ref : object["metadata"].value("ownerReferences", Json::array())) {
    if (ref.value("uid", "") == uid && ref.value("controller", false)) return true;
  }
  return false;
}

// The fields of `desired` that differ from `current` (a status we write is the whole truth
// for those fields; fields others own are left alone).
bool differs(const Json& current, const Json& desired) {
  for (const auto& [k, v] : desired.items()) {
    if (!current.contains(k) || current[k] != v) return true;
  }
  return false;
}

}  // namespace

StatefulSetController::StatefulSetController(std::shared_ptr<runtime::Client> client)
    : client_(client),
      sets_(client, runtime::InformerConfig(res::kStatefulSet)),
      pods_(client, runtime::InformerConfig(res::kPod)),
      claims_(client, runtime::InformerConfig(res::kPersistentVolumeClaim)),
      events_(client, std::make_shared<runtime::SystemClock>(), "statefulset-controller", ""),
      controller_(runtime::ControllerConfig{}.withName("statefulset"),
                  [this](const std::string& key) { return reconcile(key); }, {}) {
  sets_->addHandler(controller_.forPrimary());
  pods_->addHandler(controller_.forOwned("StatefulSet", "apps"));
  // Claims carry no owner reference by default: wake every set of the namespace.
  auto wakeNamespace = [this](const runtime::ObjectPtr& claim) {
    const auto ns = (*claim)["metadata"].value("namespace", "");
    for (const auto& set : sets_.store().listNamespace(ns)) {
      controller_.enqueue(runtime::objectKey(*set));
    }
  };
  claims_->addHandler({wakeNamespace,
                       [wakeNamespace](const runtime::ObjectPtr&, const runtime::ObjectPtr& o) {
                         wakeNamespace(o);
                       },
                       wakeNamespace});
}

StatefulSetController::~StatefulSetController() { stop(); }

void StatefulSetController::start() {
  sets_.start();
  pods_.start();
  claims_.start();
  if (!waitForCacheSync(std::chrono::seconds(30), sets_, pods_, claims_)) {
    spdlog::warn("statefulset controller: caches not synced after 30s; starting anyway");
  }
  controller_.start();
}

void StatefulSetController::stop() {
  controller_.stop();
  sets_.stop();
  pods_.stop();
  claims_.stop();
}

runtime::ReconcileResult StatefulSetController::reconcile(const std::string& key) {
  const auto set = sets_.store().get(key);
  if (!set || (*set)["metadata"].contains("deletionTimestamp")) {
    return runtime::Action::done();  // the garbage collector removes what it owned
  }
  const auto [ns, name] = runtime::splitKey(key);
  const auto uid = (*set)["metadata"].value("uid", "");

  std::vector<Json> pods;
  for (const auto& pod : pods_.store().byOwner(uid)) {
    if (ownedBy(*pod, uid)) pods.push_back(*pod);
  }
  std::set<std::string> claimNames;
  for (const auto& claim : claims_.store().listNamespace(ns)) {
    if (!(*claim)["metadata"].contains("deletionTimestamp")) {
      claimNames.insert((*claim)["metadata"].value("name", ""));
    }
  }

  const auto actions = syncStatefulSet(*set, pods, claimNames);
  Json involved = *set;  // list items may come without their kind
  involved["apiVersion"] = res::kStatefulSet.apiVersion();
  involved["kind"] = res::kStatefulSet.kind;

  for (const auto& claim : actions.createClaims) {
    auto created = client_->create(res::kPersistentVolumeClaim, ns, claim);
    if (!created && !created.error().is(ErrorCategory::kAlreadyExists)) {
      return std::unexpected(ReconcileError::from(
          "create claim " + claim["metadata"].value("name", ""), created.error()));
    }
    if (created) {
      (void)events_.normal(involved, "SuccessfulCreate",
                           "create Claim " + claim["metadata"].value("name", "") +
                               " in StatefulSet " + name + " success");
    }
  }
  for (const auto& pod : actions.createPods) {
    auto created = client_->create(res::kPod, ns, pod);
    if (!created && !created.error().is(ErrorCategory::kAlreadyExists)) {
      return std::unexpected(
          ReconcileError::from("create pod " + pod["metadata"].value("name", ""), created.error()));
    }
    if (created) {
      spdlog::info("statefulset {}: created pod {}", key, pod["metadata"].value("name", ""));
      (void)events_.normal(involved, "SuccessfulCreate",
                           "create Pod " + pod["metadata"].value("name", "") + " in StatefulSet " +
                               name + " successful");
    }
  }
  for (const auto& podName : actions.deletePods) {
    runtime::DeleteOptions options;
    for (const auto& pod : pods) {
      if (pod["metadata"].value("name", "") == podName) {
        options.precondition_uid = pod["metadata"].value("uid", "");
      }
    }
    auto removed = client_->remove(res::kPod, ns, podName, options);
    if (!removed && !removed.error().is(ErrorCategory::kNotFound) &&
        !removed.error().is(ErrorCategory::kConflict)) {
      return std::unexpected(ReconcileError::from("delete pod " + podName, removed.error()));
    }
    if (removed) {
      spdlog::info("statefulset {}: deleted pod {}", key, podName);
      (void)events_.normal(involved, "SuccessfulDelete",
                           "delete Pod " + podName + " in StatefulSet " + name + " successful");
    }
  }
  for (const auto& claimName : actions.deleteClaims) {
    auto removed = client_->remove(res::kPersistentVolumeClaim, ns, claimName);
    if (!removed && !removed.error().is(ErrorCategory::kNotFound)) {
      return std::unexpected(ReconcileError::from("delete claim " + claimName, removed.error()));
    }
  }
  if (differs((*set).value("status", Json::object()), actions.status)) {
    auto written =
        client_->patchStatus(res::kStatefulSet, ns, name, Json{{"status", actions.status}});
    if (!written && !written.error().is(ErrorCategory::kNotFound)) {
      return std::unexpected(ReconcileError::from("update status", written.error()));
    }
  }
  return runtime::Action::done();
}

}  // namespace zkop::sandbox
