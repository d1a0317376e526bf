#include "operator/reconciler/cluster_observer.h"

#include <algorithm>
#include <charconv>
#include <future>
#include <sstream>

#include "controllers/observe/observed_ensemble_builder.h"
#include "controllers/reconciler/desired_ensemble.h"
#include "controllers/reconciler/pod_admission.h"
#include "controllers/render/member_set.h"
#include "controllers/render/names.h"
#include "controllers/render/render.h"
#include "controllers/render/scripts.h"
#include "operator/runtime/resource.h"
#include "operator/zookeeper/four_letter_words.h"

namespace zkop::reconciler {
namespace {

using runtime::ReconcileError;

bool podReady(const Json& pod) {
  for (const auto& c : pod.value("status", Json::object()).value("conditions", Json::array())) {
    if (c.value("type", "") == "Ready") return c.value("status", "") == "True";
  }
  return false;
}

bool containerDown(const Json& pod) {
  const auto statuses =
      pod.value("status", Json::object()).value("containerStatuses", Json::array());
  if (statuses.empty()) return false;  // not started yet: nothing to say
  for (const auto& s : statuses) {
    if (!s.value("state", Json::object()).contains("running")) return true;
  }
  return false;
}

// The start script refused to start on a data dir that lost this member's data (exit code
// now, or of the last run while the kubelet backs off before the next).
bool startRefusedForLostData(const Json& pod) {
  const auto statuses =
      pod.value("status", Json::object()).value("containerStatuses", Json::array());
  auto lost = [](const Json& state) {
    const auto terminated = state.value("terminated", Json::object());
    return terminated.value("exitCode", 0) == render::kDataLostExitCode;
  };
  // Only while the container is down: one that runs (ZooKeeper started under a myid the
  // pod was given since) keeps its last exit in lastState for as long as it runs.
  return std::ranges::any_of(statuses, [&](const Json& s) {
    const auto state = s.value("state", Json::object());
    if (state.contains("running")) return false;
    return lost(state) || (state.contains("waiting") && lost(s.value("lastState", Json::object())));
  });
}

std::optional<std::int64_t> parseDecimal(const std::string& text) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// A ConfigMap key holding one myid per line (served-myids, lost-myids).
std::set<int> myidsUnder(const Json& configMap, const char* key) {
  std::set<int> out;
  std::istringstream lines(configMap.value("data", Json::object()).value(key, std::string()));
  for (std::string line; std::getline(lines, line);) {
    if (auto myid = parseDecimal(line)) out.insert(static_cast<int>(*myid));
  }
  return out;
}

observe::PodFacts podFacts(const Json& pod) {
  observe::PodFacts facts;
  const auto& metadata = pod["metadata"];
  facts.terminating = metadata.contains("deletionTimestamp");
  facts.ready = podReady(pod);
  facts.ip = pod.value("status", Json::object()).value("podIP", "");
  facts.version =
      metadata.value("labels", Json::object()).value(std::string(render::labels::kVersion), "");
  const auto annotations = metadata.value("annotations", Json::object());
  if (auto it = annotations.find(std::string(render::kListVersionAnnotation));
      it != annotations.end() && it->is_string()) {
    facts.listVersion = parseDecimal(it->get<std::string>());
  }
  facts.containerDown = containerDown(pod);
  facts.dataLost = startRefusedForLostData(pod);
  return facts;
}

// The list a ConfigMap carries under `linesKey` / `versionKey`, if any.
std::optional<render::DynamicConfig> listIn(const Json& configMap, const char* linesKey,
                                            const char* versionKey) {
  const auto data = configMap.value("data", Json::object());
  if (!data.contains(linesKey) || !data.contains(versionKey)) return std::nullopt;
  const std::string text =
      data[linesKey].get<std::string>() + "version=" + data[versionKey].get<std::string>() + "\n";
  auto parsed = render::DynamicConfig::parse(text);
  if (!parsed || parsed->servers.empty()) return std::nullopt;
  return *parsed;
}

observe::MemberProbe probe(const std::string& host, int port, std::chrono::milliseconds timeout) {
  observe::MemberProbe out;
  auto srvr = zookeeper::askFourLetterWord(host, port, "srvr", timeout);
  if (!srvr) return out;
  out.answered = true;
  out.status = observe::parseSrvr(*srvr);
  if (auto conf = zookeeper::askFourLetterWord(host, port, "conf", timeout)) {
    out.conf = observe::parseConf(*conf);
  }
  return out;
}

// Dynamic mode: the committed config as the ensemble reports it. The leader's word wins;
// without a leader, the newest config any member runs with; else the ConfigMap's record.
std::optional<render::DynamicConfig> committedConfig(const observe::ClusterFacts& facts,
                                                     const std::optional<Json>& configMap) {
  std::optional<render::DynamicConfig> best;
  for (const auto& [myid, p] : facts.probes) {
    if (!p.answered || p.conf.membership.empty()) continue;
    auto parsed = render::DynamicConfig::parse(p.conf.membership);
    if (!parsed || parsed->servers.empty()) continue;
    if (p.status.mode == observe::ServerMode::Leader) return *parsed;
    if (!best || parsed->version > best->version) best = *parsed;
  }
  if (best) return best;
  if (configMap) return listIn(*configMap, "zoo.cfg.dynamic", "config-version");
  return std::nullopt;
}

}  // namespace

ClusterObserver::ClusterObserver(std::shared_ptr<runtime::Client> client, ProbeConfig config)
    : client_(std::move(client)), config_(config) {}

std::expected<Observation, ReconcileError> ClusterObserver::observe(
    const api::ZookeeperCluster& cluster, const planner::DesiredEnsemble& desired) const {
  namespace res = runtime::resources;
  const auto ns = cluster.namespace_();
  const auto names = render::ClusterNames::of(cluster);
  const bool dynamic =
      cluster.spec.reconfigMode.value_or(api::ReconfigMode::Dynamic) == api::ReconfigMode::Dynamic;
  runtime::ListOptions bySelector;
  bySelector.label_selector = render::selectorString(cluster.name());

  Observation out;
  auto& facts = out.facts;
  auto& kube = out.kube;
  facts.cluster = cluster;
  if (cluster.status) facts.barrierConfigVersion = cluster.status->barrierConfigVersion.value_or(0);
  facts.servedMyids.emplace();
  if (cluster.status && cluster.status->members) {
    for (const auto& m : *cluster.status->members) {
      const bool served = m.synced.value_or(false) || (m.zxid && *m.zxid != "0x0");
      if (served && m.myid) facts.servedMyids->insert(*m.myid);
    }
  }

  auto pods = client_->list(res::kPod, ns, bySelector);
  if (!pods) return std::unexpected(ReconcileError::from("list pods", pods.error()));
  for (const auto& pod : pods->items) {
    const auto name = pod["metadata"].value("name", "");
    facts.pods[name] = podFacts(pod);
    kube.pods[name] = pod;
  }
  auto claims = client_->list(res::kPersistentVolumeClaim, ns, bySelector);
  if (!claims) return std::unexpected(ReconcileError::from("list data volumes", claims.error()));
  for (const auto& claim : claims->items) {
    if (!claim["metadata"].contains("deletionTimestamp")) {
      facts.claims.insert(claim["metadata"].value("name", ""));
    }
  }
  auto sets = client_->list(res::kStatefulSet, ns, bySelector);
  if (!sets) return std::unexpected(ReconcileError::from("list statefulsets", sets.error()));
  for (const auto& set : sets->items) {
    const auto pool = set["metadata"]
                          .value("labels", Json::object())
                          .value(std::string(render::labels::kPool), "");
    kube.statefulSetPods[pool] = set.value("spec", Json::object()).value("replicas", 0);
  }
  auto configMap = client_->get(res::kConfigMap, ns, names.configMap());
  if (configMap) {
    kube.configMap = *configMap;
    // The operator's records: status.members forgets a member's zxid while it is down, and
    // a parked pod no longer shows why its start was refused; the ConfigMap keeps both.
    facts.servedMyids->merge(myidsUnder(*configMap, "served-myids"));
    facts.recordedLostMyids = myidsUnder(*configMap, "lost-myids");
  } else if (configMap.error().category != runtime::ErrorCategory::kNotFound) {
    return std::unexpected(ReconcileError::from("read the ConfigMap", configMap.error()));
  }

  // Probe every member that may run, in parallel: managed members by pod IP, externals by host.
  const auto members = render::MemberSet::fromStatus(cluster);
  const int clientPort = cluster.spec.ports.value_or(api::PortsSpec{}).client.value_or(2181);
  std::map<int, std::future<observe::MemberProbe>> pending;
  for (const auto& m : members.members()) {
    auto pod = facts.pods.find(m.pod);
    if (pod == facts.pods.end() || pod->second.ip.empty() || pod->second.terminating) continue;
    pending[m.myid] =
        std::async(std::launch::async, probe, pod->second.ip, clientPort, config_.timeout);
  }
  for (const auto& e : cluster.spec.externalMembers.value_or(std::vector<api::ExternalMember>{})) {
    pending[e.myid] =
        std::async(std::launch::async, probe, e.host, e.clientPort.value_or(2181), config_.timeout);
  }
  for (auto& [myid, future] : pending) facts.probes[myid] = future.get();

  if (dynamic) {
    facts.committed = committedConfig(facts, kube.configMap);
    if (facts.committed) {
      for (const auto& s : facts.committed->servers) kube.listedMyids.insert(s.myid);
    }
  } else if (kube.configMap) {
    facts.writtenList = listIn(*kube.configMap, "zoo.cfg.dynamic", "config-version");
    facts.previousList =
        listIn(*kube.configMap, "previous.zoo.cfg.dynamic", "previous-config-version");
    // The previous list matters only while a member of the current one still runs it.
    if (facts.writtenList && facts.previousList) {
      bool rolled = true;
      for (const auto& s : facts.writtenList->servers) {
        const auto* m = members.findMyid(s.myid);
        if (m == nullptr) continue;
        auto pod = facts.pods.find(m->pod);
        if (pod == facts.pods.end() ||
            pod->second.listVersion != static_cast<std::int64_t>(facts.writtenList->version)) {
          rolled = false;
        }
      }
      if (rolled) facts.previousList.reset();
    }
    for (const auto* list : {&facts.writtenList, &facts.previousList}) {
      if (!*list) continue;
      for (const auto& s : (*list)->servers) kube.listedMyids.insert(s.myid);
    }
  }

  for (const auto& m : members.members()) {
    auto probeIt = facts.probes.find(m.myid);
    if (probeIt != facts.probes.end() && probeIt->second.answered) kube.answeringPods.insert(m.pod);
  }
  const auto retiring = retiringLostData(desired, observe::lostDataMyids(facts));
  PodAdmissionInput admission{.cluster = cluster,
                              .members = members,
                              .desired = retiring,
                              .listedMyids = kube.listedMyids,
                              .currentPods = kube.statefulSetPods,
                              .answeringPods = kube.answeringPods};
  kube.parkedPods = parkedPods(admission);
  for (const auto& pod : kube.parkedPods) {
    // A parked pod whose ZooKeeper still answers is a member the planner has yet to stop.
    auto it = facts.pods.find(pod);
    if (it != facts.pods.end() && !kube.answeringPods.contains(pod)) it->second.parked = true;
  }
  return out;
}

}  // namespace zkop::reconciler
