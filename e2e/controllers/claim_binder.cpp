#include "e2e/controllers/claim_binder.h"

namespace zkop::sandbox {

namespace res = runtime::resources;

Json boundClaimStatus(const Json& claim) {
  const auto spec = claim.value("spec", Json::object());
  Json status = {{"phase", "Bound"}};
  status["accessModes"] = spec.value("accessModes", Json::array({"ReadWriteOnce"}));
  const auto requests = spec.value("resources", Json::object()).value("requests", Json::object());
  status["capacity"] = {{"storage", requests.value("storage", "1Gi")}};
  return status;
}

ClaimBinder::ClaimBinder(std::shared_ptr<runtime::Client> client)
    : client_(client),
      claims_(client, runtime::InformerConfig(res::kPersistentVolumeClaim)),
      controller_(runtime::ControllerConfig{}.withName("claim-binder"),
                  [this](const std::string& key) { return reconcile(key); }, {}) {
  claims_->addHandler(controller_.forPrimary());
}

ClaimBinder::~ClaimBinder() { stop(); }

void ClaimBinder::start() {
  claims_.start();
  waitForCacheSync(std::chrono::seconds(30), claims_);
  controller_.start();
}

void ClaimBinder::stop() {
  controller_.stop();
  claims_.stop();
}

runtime::ReconcileResult ClaimBinder::reconcile(const std::string& key) {
  const auto claim = claims_.store().get(key);
  if (!claim || (*claim)["metadata"].contains("deletionTimestamp")) return runtime::Action::done();
  if ((*claim).value("status", Json::object()).value("phase", "") == "Bound") {
    return runtime::Action::done();
  }
  const auto [ns, name] = runtime::splitKey(key);
  auto written = client_->patchStatus(res::kPersistentVolumeClaim, ns, name,
                                      Json{{"status", boundClaimStatus(*claim)}});
  if (!written && !written.error().is(runtime::ErrorCategory::kNotFound)) {
    return std::unexpected(runtime::ReconcileError::from("bind claim", written.error()));
  }
  return runtime::Action::done();
}

}  // namespace zkop::sandbox
