#include "e2e/controllers/statefulset_sync.h"

#include <cstdio>
#include <map>
#include <optional>

namespace zkop::sandbox {
namespace {

constexpr const char* kRevisionLabel = "controller-revision-hash";

std::string setName(const Json& sts) { return sts["metadata"].value("name", ""); }

std::optional<int> ordinalOf(const std::string& setName, const std::string& podName) {
  const auto prefix = setName + "-";
  if (!podName.starts_with(prefix)) return std::nullopt;
  const auto digits = podName.substr(prefix.size());
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return std::stoi(digits);
}

bool terminating(const Json& pod) { return pod["metadata"].contains("deletionTimestamp"); }

std::string revisionOf(const Json& pod) {
  return pod["metadata"].value("labels", Json::object()).value(kRevisionLabel, "");
}

std::string claimName(const Json& claimTemplate, const std::string& pod) {
  return claimTemplate["metadata"].value("name", "") + "-" + pod;
}

Json ownerRef(const Json& owner, bool controller) {
  return {{"apiVersion", owner.value("apiVersion", "apps/v1")},
          {"kind", owner.value("kind", "StatefulSet")},
          {"name", owner["metadata"].value("name", "")},
          {"uid", owner["metadata"].value("uid", "")},
          {"controller", controller},
          {"blockOwnerDeletion", true}};
}

Json newPod(const Json& sts, int ordinal, const std::string& revision) {
  const auto name = setName(sts) + "-" + std::to_string(ordinal);
  const auto& tmpl = sts["spec"]["template"];
  Json labels = tmpl.value("metadata", Json::object()).value("labels", Json::object());
  labels["statefulset.kubernetes.io/pod-name"] = name;
  labels["apps.kubernetes.io/pod-index"] = std::to_string(ordinal);
  labels[kRevisionLabel] = revision;
  Json metadata = {{"name", name},
                   {"namespace", sts["metadata"].value("namespace", "default")},
                   {"labels", labels},
                   {"ownerReferences", Json::array({ownerRef(sts, true)})}};
  if (tmpl.contains("metadata") && tmpl["metadata"].contains("annotations")) {
    metadata["annotations"] = tmpl["metadata"]["annotations"];
  }
  Json spec = tmpl.value("spec", Json::object());
  spec["hostname"] = name;
  if (sts["spec"].contains("serviceName")) spec["subdomain"] = sts["spec"]["serviceName"];
  if (!spec.contains("volumes")) spec["volumes"] = Json::array();
  for (const auto& claim : sts["spec"].value("volumeClaimTemplates", Json::array())) {
    spec["volumes"].push_back({{"name", claim["metadata"].value("name", "")},
                               {"persistentVolumeClaim", {{"claimName", claimName(claim, name)}}}});
  }
  return {{"apiVersion", "v1"}, {"kind", "Pod"}, {"metadata", metadata}, {"spec", spec}};
}

Json newClaim(const Json& sts, const Json& claimTemplate, const std::string& pod) {
  Json labels = claimTemplate.value("metadata", Json::object()).value("labels", Json::object());
  const auto selector = sts["spec"]["selector"].value("matchLabels", Json::object());
  for (const auto& [k, v] : selector.items()) labels[k] = v;
  Json metadata = {{"name", claimName(claimTemplate, pod)},
                   {"namespace", sts["metadata"].value("namespace", "default")},
                   {"labels", labels}};
  const auto policy = sts["spec"].value("persistentVolumeClaimRetentionPolicy", Json::object());
  if (policy.value("whenDeleted", "Retain") == "Delete") {
    metadata["ownerReferences"] = Json::array({ownerRef(sts, false)});
  }
  return {{"apiVersion", "v1"},
          {"kind", "PersistentVolumeClaim"},
          {"metadata", metadata},
          {"spec", claimTemplate.value("spec", Json::object())}};
}

}  // namespace

bool podRunningAndReady(const Json& pod) {
  const auto& status = pod.value("status", Json::object());
  if (status.value("phase", "") != "Running") return false;
  for (const auto& c : status.value("conditions", Json::array())) {
    if (c.value("type", "") == "Ready") return c.value("status", "") == "True";
  }
  return false;
}

std::string templateRevision(const Json& statefulSet) {
  // FNV-1a over the template's canonical JSON: stable across processes and restarts.
  const auto text = statefulSet["spec"]["template"].dump();
  std::uint64_t hash = 1469598103934665603ULL;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  char hex[16];
  std::snprintf(hex, sizeof hex, "%010llx",
                static_cast<unsigned long long>(hash & 0xffffffffffULL));
  return setName(statefulSet) + "-" + hex;
}

StatefulSetActions syncStatefulSet(const Json& sts, const std::vector<Json>& pods,
                                   const std::set<std::string>& claims) {
  StatefulSetActions actions;
  const auto& spec = sts["spec"];
  const int replicas = spec.value("replicas", 1);
  const bool parallel = spec.value("podManagementPolicy", "OrderedReady") == "Parallel";
  const auto strategy = spec.value("updateStrategy", Json::object());
  const bool rolling = strategy.value("type", "RollingUpdate") == "RollingUpdate";
  const int partition = strategy.value("rollingUpdate", Json::object()).value("partition", 0);
  const auto updateRevision = templateRevision(sts);
  const auto name = setName(sts);
  const auto claimTemplates = spec.value("volumeClaimTemplates", Json::array());
  const auto retention = spec.value("persistentVolumeClaimRetentionPolicy", Json::object());

  std::map<int, const Json*> byOrdinal;
  std::vector<std::string> strays;  // pods the set owns whose name is not one of its ordinals
  for (const auto& pod : pods) {
    const auto podName = pod["metadata"].value("name", "");
    if (auto ordinal = ordinalOf(name, podName)) {
      byOrdinal[*ordinal] = &pod;
    } else {
      strays.push_back(podName);
    }
  }

  // Claims first: a pod never starts without its volumes.
  for (int ordinal = 0; ordinal < replicas; ++ordinal) {
    const auto podName = name + "-" + std::to_string(ordinal);
    for (const auto& claim : claimTemplates) {
      if (!claims.contains(claimName(claim, podName))) {
        actions.createClaims.push_back(newClaim(sts, claim, podName));
      }
    }
  }

  // Scale up (lowest missing first) and recreate deleted pods at the update revision.
  bool predecessorsReady = true;
  for (int ordinal = 0; ordinal < replicas; ++ordinal) {
    auto it = byOrdinal.find(ordinal);
    if (it == byOrdinal.end()) {
      if (parallel || predecessorsReady) {
        actions.createPods.push_back(newPod(sts, ordinal, updateRevision));
      }
      predecessorsReady = false;
      if (!parallel) break;
      continue;
    }
    if (!podRunningAndReady(*it->second) || terminating(*it->second)) {
      predecessorsReady = false;
      if (!parallel) break;
    }
  }

  // Scale down: highest ordinal first; OrderedReady one at a time once the rest are ready.
  std::vector<int> excess;
  for (auto it = byOrdinal.rbegin(); it != byOrdinal.rend(); ++it) {
    if (it->first >= replicas) excess.push_back(it->first);
  }
  bool allBelowReady = true;
  for (const auto& [ordinal, pod] : byOrdinal) {
    if (ordinal < replicas && (!podRunningAndReady(*pod) || terminating(*pod)))
      allBelowReady = false;
  }
  for (int ordinal : excess) {
    const auto* pod = byOrdinal[ordinal];
    if (terminating(*pod)) {
      if (!parallel) break;  // wait for it to go before the next
      continue;
    }
    if (!parallel && !allBelowReady) break;
    const auto podName = pod->at("metadata").value("name", "");
    actions.deletePods.push_back(podName);
    if (retention.value("whenScaled", "Retain") == "Delete") {
      for (const auto& claim : claimTemplates)
        actions.deleteClaims.push_back(claimName(claim, podName));
    }
    if (!parallel) break;
  }
  for (const auto& stray : strays) actions.deletePods.push_back(stray);

  // RollingUpdate: replace the highest ordinal >= partition not at the update revision,
  // one at a time, only when every pod is running and ready.
  if (rolling && actions.createPods.empty() && actions.deletePods.empty()) {
    bool allReady = static_cast<int>(byOrdinal.size()) >= replicas;
    for (const auto& [ordinal, pod] : byOrdinal) {
      if (ordinal < replicas && (!podRunningAndReady(*pod) || terminating(*pod))) allReady = false;
    }
    if (allReady) {
      for (int ordinal = replicas - 1; ordinal >= partition; --ordinal) {
        const auto* pod = byOrdinal[ordinal];
        if (revisionOf(*pod) != updateRevision) {
          actions.deletePods.push_back(pod->at("metadata").value("name", ""));
          break;
        }
      }
    }
  }

  // Status.
  int present = 0, ready = 0, current = 0, updated = 0;
  std::string currentRevision = sts.value("status", Json::object()).value("currentRevision", "");
  for (const auto& [ordinal, pod] : byOrdinal) {
    if (terminating(*pod)) continue;
    ++present;
    if (podRunningAndReady(*pod)) ++ready;
    if (revisionOf(*pod) == updateRevision) ++updated;
  }
  if (currentRevision.empty() || (updated == replicas && present == replicas)) {
    currentRevision = updateRevision;
  }
  for (const auto& [ordinal, pod] : byOrdinal) {
    if (!terminating(*pod) && revisionOf(*pod) == currentRevision) ++current;
  }
  actions.status = {{"observedGeneration", sts["metadata"].value("generation", 1)},
                    {"replicas", present},
                    {"readyReplicas", ready},
                    {"availableReplicas", ready},
                    {"currentReplicas", current},
                    {"updatedReplicas", updated},
                    {"currentRevision", currentRevision},
                    {"updateRevision", updateRevision},
                    {"collisionCount", 0}};
  return actions;
}

}  // namespace zkop::sandbox
