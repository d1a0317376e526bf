#include "e2e/sandbox/node/node_agent.h"

#include <algorithm>
#include <thread>

#include <spdlog/spdlog.h>

#include "e2e/kubelet/faults.h"
#include "e2e/kubelet/pod_runner.h"
#include "e2e/sandbox/node/pod_volumes.h"
#include "e2e/sandbox/node/service_addresses.h"
#include "operator/runtime/encoding.h"

namespace zkop::sandbox::node {
namespace fs = std::filesystem;
namespace res = runtime::resources;
using runtime::Action;
using runtime::ErrorCategory;
using runtime::ObjectPtr;
using runtime::ReconcileError;

namespace {

constexpr const char* kHostsKey = "hosts";
// Fault injection through annotations, so tests reach it with kubectl (see docs/sandbox-node.md).
constexpr const char* kKillAnnotation = "sandbox.zkop.io/kill";      // new value: SIGKILL
constexpr const char* kFreezeAnnotation = "sandbox.zkop.io/freeze";  // "true": SIGSTOP
constexpr const char* kWipeAnnotation = "sandbox.zkop.io/wipe";      // new value (PVC): wipe

std::string annotation(const Json& object, const char* name) {
  const auto annotations = object["metadata"].value("annotations", Json::object());
  const auto it = annotations.find(name);
  return it != annotations.end() && it->is_string() ? it->get<std::string>() : "";
}

bool deleting(const Json& object) { return object["metadata"].contains("deletionTimestamp"); }
std::string uidOf(const Json& object) { return object["metadata"].value("uid", ""); }

// True when `desired` sets some field to a value `current` does not have.
bool differs(const Json& current, const Json& desired) {
  for (const auto& [k, v] : desired.items()) {
    if (!current.contains(k) || current[k] != v) return true;
  }
  return false;
}

std::vector<std::string> claimsOf(const Json& pod) {
  std::vector<std::string> claims;
  for (const auto& v : pod["spec"].value("volumes", Json::array())) {
    if (v.contains("persistentVolumeClaim")) {
      claims.push_back(v["persistentVolumeClaim"].value("claimName", ""));
    }
  }
  return claims;
}

// What `kubectl get pods` shows as ContainerCreating: scheduled, containers waiting.
Json waitingStatus(const Json& pod, const std::string& message) {
  Json containers = Json::array();
  for (const auto& c : pod["spec"].value("containers", Json::array())) {
    containers.push_back(
        {{"name", c.value("name", "")},
         {"image", c.value("image", "")},
         {"ready", false},
         {"started", false},
         {"restartCount", 0},
         {"state", {{"waiting", {{"reason", "ContainerCreating"}, {"message", message}}}}}});
  }
  return {{"phase", "Pending"}, {"containerStatuses", containers}};
}

// The pod as an Event's involvedObject (cached list items may come without their kind).
Json podReference(const std::string& key, const std::string& uid) {
  const auto [ns, name] = runtime::splitKey(key);
  return {{"apiVersion", "v1"},
          {"kind", "Pod"},
          {"metadata", {{"name", name}, {"namespace", ns}, {"uid", uid}}}};
}

// An engine event line ("<time> Started container zk (pid 7, run 0)") as an API Event's type
// and reason, named as the kubelet names them.
std::pair<runtime::EventType, std::string> eventReason(const std::string& what) {
  using runtime::EventType;
  if (what.starts_with("Started container")) return {EventType::kNormal, "Started"};
  if (what.starts_with("Killing container")) return {EventType::kNormal, "Killing"};
  if (what.find("probe failed") != std::string::npos) return {EventType::kWarning, "Unhealthy"};
  if (what.starts_with("Failed to start")) return {EventType::kWarning, "Failed"};
  if (what.starts_with("PreStop hook")) return {EventType::kWarning, "FailedPreStopHook"};
  if (what.starts_with("Fault:")) return {EventType::kWarning, "Fault"};
  if (what.starts_with("Back-off")) return {EventType::kWarning, "BackOff"};
  return {EventType::kNormal, "Container"};
}

std::string podDirName(const Json& pod) {
  // The layout of /var/log/pods: <namespace>_<name>_<uid>.
  return pod["metadata"].value("namespace", "default") + "_" + pod["metadata"].value("name", "") +
         "_" + uidOf(pod);
}

}  // namespace

// One pod this node runs (or is stopping). `runner` and `volumes` are used by the worker that
// holds the pod's key, or by the terminator once `terminating` is set; `finished` is set last
// by the terminator, after which the next sync joins it and forgets the entry.
struct NodeAgent::PodEntry {
  std::string key;
  std::string uid;
  std::string ns;
  std::vector<std::string> claims;
  std::unique_ptr<PodVolumes> volumes;
  std::unique_ptr<kubelet::PodRunner> runner;
  std::string lastKill;   // the kill annotation already acted on
  std::string lastEvent;  // the engine's last event line already recorded in the API
  bool frozen = false;
  std::atomic<bool> terminating{false};
  std::atomic<bool> finished{false};
  std::thread terminator;

  ~PodEntry() {
    if (terminator.joinable()) terminator.join();
  }
};

NodeAgent::NodeAgent(ApiConnection api, NodeAgentConfig config)
    : api_(std::move(api)),
      config_(std::move(config)),
      hosts_(config_.dir / "hosts"),
      addresses_(kubelet::AddressAllocator::forInstance(
          config_.addressBlockName.empty() ? config_.dir.string() : config_.addressBlockName)),
      events_(api_.client, std::make_shared<runtime::SystemClock>(), "kubelet", config_.nodeName),
      pods_(api_.client, runtime::InformerConfig(res::kPod)),
      configMaps_(api_.client, runtime::InformerConfig(res::kConfigMap)),
      secrets_(api_.client, runtime::InformerConfig(res::kSecret)),
      services_(api_.client, runtime::InformerConfig(res::kService)),
      claims_(api_.client, runtime::InformerConfig(res::kPersistentVolumeClaim)),
      podSync_(runtime::ControllerConfig{}.withName("kubelet").withWorkers(config_.workers),
               [this](const std::string& key) { return syncPod(key); }, {}),
      hostsSync_(runtime::ControllerConfig{}.withName("kubelet-hosts"),
                 [this](const std::string&) { return syncHosts(); }, {}) {
  auto onPod = [this](const ObjectPtr& pod) {
    podSync_.enqueue(runtime::objectKey(*pod));
    hostsSync_.enqueue(kHostsKey);
  };
  pods_->addHandler(
      {onPod, [onPod](const ObjectPtr&, const ObjectPtr& pod) { onPod(pod); }, onPod});
  auto onData = [this](const ObjectPtr& o) { enqueueNamespacePods(o); };
  auto onDataUpdate = [this](const ObjectPtr&, const ObjectPtr& o) { enqueueNamespacePods(o); };
  configMaps_->addHandler({onData, onDataUpdate, onData});
  secrets_->addHandler({onData, onDataUpdate, onData});
  claims_->addHandler({onData,
                       [this](const ObjectPtr& old, const ObjectPtr& o) {
                         claimUpdated(old, o);
                         enqueueNamespacePods(o);
                       },
                       [this](const ObjectPtr& o) { claimDeleted(o); }});
  auto onService = [this](const ObjectPtr&) { hostsSync_.enqueue(kHostsKey); };
  services_->addHandler(
      {onService, [onService](const ObjectPtr&, const ObjectPtr& o) { onService(o); }, onService});
}

NodeAgent::~NodeAgent() { stop(); }

kubelet::Result<void> NodeAgent::start() {
  std::error_code ec;
  fs::create_directories(config_.dir / "pods", ec);
  fs::create_directories(config_.dir / "claims", ec);
  if (ec) return kubelet::specError("create " + config_.dir.string(), ec.message());
  if (auto r = hosts_.create(); !r) return r;
  for (auto* informer : {&pods_, &configMaps_, &secrets_, &services_, &claims_}) informer->start();
  if (!waitForCacheSync(std::chrono::seconds(30), pods_, configMaps_, secrets_, services_,
                        claims_)) {
    spdlog::warn("kubelet: caches not synced after 30s; starting anyway");
  }
  podSync_.start();
  hostsSync_.start();
  spdlog::info("kubelet: node {} serving pods from {} (addresses {}, hosts file {})",
               config_.nodeName, config_.dir.string(), addresses_.block(), hosts_.path().string());
  return {};
}

void NodeAgent::stop() {
  if (stopped_.exchange(true)) return;
  podSync_.stop();
  hostsSync_.stop();
  for (auto* informer : {&pods_, &configMaps_, &secrets_, &services_, &claims_}) informer->stop();
  std::map<std::string, std::shared_ptr<PodEntry>> entries;
  {
    std::lock_guard lock(mutex_);
    entries.swap(entries_);
  }
  // Like a node losing power: pods being stopped gracefully are killed now rather than at
  // the end of their grace period; running pods are killed by their runners' destructors.
  for (auto& [key, entry] : entries) {
    if (entry->terminating && !entry->finished) (void)entry->runner->kill();
  }
  for (auto& [key, entry] : entries) {
    if (entry->terminator.joinable()) entry->terminator.join();
    entry->runner.reset();
  }
}

kubelet::DataLookup NodeAgent::lookupFor(const std::string& ns) const {
  return [this, ns](kubelet::DataSource source,
                    const std::string& name) -> std::optional<std::map<std::string, std::string>> {
    const bool secret = source == kubelet::DataSource::Secret;
    const auto object = (secret ? secrets_ : configMaps_).store().get(ns + "/" + name);
    if (!object) return std::nullopt;
    std::map<std::string, std::string> data;
    // Named copies: items() of a temporary would dangle inside the loop.
    const Json values = object->value("data", Json::object());
    const Json binary = object->value("binaryData", Json::object());
    for (const auto& [k, v] : values.items()) {
      if (!v.is_string()) continue;
      if (secret) {
        data[k] = runtime::base64Decode(v.get<std::string>()).value_or("");
      } else {
        data[k] = v.get<std::string>();
      }
    }
    if (!secret) {
      for (const auto& [k, v] : binary.items()) {
        if (v.is_string()) data[k] = runtime::base64Decode(v.get<std::string>()).value_or("");
      }
    }
    return data;
  };
}

void NodeAgent::enqueueNamespacePods(const ObjectPtr& object) {
  const auto ns = (*object)["metadata"].value("namespace", "");
  for (const auto& pod : pods_.store().listNamespace(ns)) {
    podSync_.enqueue(runtime::objectKey(*pod));
  }
}

bool NodeAgent::claimInUse(const std::string& ns, const std::string& claim) const {
  std::lock_guard lock(mutex_);
  for (const auto& [key, entry] : entries_) {
    if (entry->ns != ns || entry->finished) continue;
    for (const auto& c : entry->claims) {
      if (c == claim) return true;
    }
  }
  return false;
}

// There is no PersistentVolume behind a claim: deleting the claim deletes its data, as with a
// dynamically provisioned volume whose reclaim policy is Delete. A claim still mounted is
// wiped when its pod has stopped (the storage-object-in-use protection's order).
void NodeAgent::claimUpdated(const ObjectPtr& old, const ObjectPtr& claim) {
  const auto token = annotation(*claim, kWipeAnnotation);
  if (token.empty() || token == annotation(*old, kWipeAnnotation)) return;
  const auto ns = (*claim)["metadata"].value("namespace", "default");
  const auto name = (*claim)["metadata"].value("name", "");
  if (auto r = kubelet::wipeDirectoryContents(claimDirectory(config_.dir / "claims", ns, name));
      !r) {
    spdlog::warn("kubelet: fault: wipe claim {}/{}: {}", ns, name, r.error().message());
    return;
  }
  spdlog::info("kubelet: fault: wiped the data of claim {}/{}", ns, name);
}

void NodeAgent::applyFaults(PodEntry& entry, const Json& pod) {
  const auto kill = annotation(pod, kKillAnnotation);
  if (kill != entry.lastKill) {
    entry.lastKill = kill;
    if (!kill.empty()) {
      spdlog::info("kubelet: fault: killing pod {}", entry.key);
      (void)entry.runner->kill();
    }
  }
  const bool freeze = annotation(pod, kFreezeAnnotation) == "true";
  if (freeze != entry.frozen) {
    spdlog::info("kubelet: fault: {} pod {}", freeze ? "freezing" : "thawing", entry.key);
    auto r = freeze ? entry.runner->freeze() : entry.runner->thaw();
    if (r) entry.frozen = freeze;
  }
}

void NodeAgent::linkLogs(const PodEntry& entry, const Json& pod) {
  // Stable names for the current and previous run of every container, what `kubectl logs
  // [--previous]` would print: <node dir>/logs/<namespace>/<pod>/<container>[.previous].log.
  const auto [ns, name] = runtime::splitKey(entry.key);
  const fs::path dir = config_.dir / "logs" / ns / name;
  std::error_code ec;
  fs::create_directories(dir, ec);
  for (const auto& c : pod["spec"].value("containers", Json::array())) {
    const auto container = c.value("name", "");
    for (bool previous : {false, true}) {
      const auto file = entry.runner->logFile(container, previous);
      const fs::path link = dir / (container + (previous ? ".previous.log" : ".log"));
      if (!file) continue;
      if (fs::is_symlink(link, ec) && fs::read_symlink(link, ec) == *file) continue;
      fs::remove(link, ec);
      fs::create_symlink(*file, link, ec);
    }
  }
}

void NodeAgent::claimDeleted(const ObjectPtr& claim) {
  const auto ns = (*claim)["metadata"].value("namespace", "default");
  const auto name = (*claim)["metadata"].value("name", "");
  if (claimInUse(ns, name)) {
    std::lock_guard lock(mutex_);
    pendingWipes_.insert(ns + "/" + name);
    return;
  }
  std::error_code ec;
  fs::remove_all(claimDirectory(config_.dir / "claims", ns, name), ec);
  spdlog::info("kubelet: claim {}/{} deleted: its data is gone", ns, name);
}

runtime::ReconcileResult NodeAgent::syncPod(const std::string& key) {
  const auto pod = pods_.store().get(key);
  std::shared_ptr<PodEntry> entry;
  {
    std::lock_guard lock(mutex_);
    if (auto it = entries_.find(key); it != entries_.end()) entry = it->second;
  }
  if (entry && entry->finished) {
    if (entry->terminator.joinable()) entry->terminator.join();
    std::lock_guard lock(mutex_);
    entries_.erase(key);
    entry.reset();
  }
  if (entry) {
    if (entry->terminating) return Action::done();  // the terminator enqueues when finished
    if (!pod || uidOf(*pod) != entry->uid) {
      // Gone from the API without passing through deletionTimestamp (force deletion), or
      // replaced by a new pod of the same name: the old one stops now.
      terminate(entry, std::chrono::seconds(0), false);
      return Action::done();
    }
  }
  if (!pod) return Action::done();
  const auto [ns, name] = runtime::splitKey(key);
  const auto nodeName = (*pod)["spec"].value("nodeName", "");
  if (nodeName.empty()) {
    if (deleting(*pod)) return Action::done();
    // The one-node scheduler: bind by setting spec.nodeName.
    auto bound =
        api_.client->patch(res::kPod, ns, name, Json{{"spec", {{"nodeName", config_.nodeName}}}});
    if (!bound && !bound.error().is(ErrorCategory::kNotFound)) {
      return std::unexpected(ReconcileError::from("bind pod", bound.error()));
    }
    if (bound) {
      (void)events_.normal(podReference(key, uidOf(*pod)), "Scheduled",
                           "Successfully assigned " + key + " to " + config_.nodeName);
    }
    return Action::done();  // the update event brings the bound pod back
  }
  if (nodeName != config_.nodeName) return Action::done();

  if (deleting(*pod)) {
    if (entry) {
      const auto grace = (*pod)["metadata"].value("deletionGracePeriodSeconds", 30LL);
      terminate(entry, std::chrono::seconds(grace), true);
    } else {
      deleteNow(ns, name, uidOf(*pod));  // nothing runs here (e.g. after a sandbox restart)
    }
    return Action::done();
  }
  if (!entry) {
    const auto phase = (*pod).value("status", Json::object()).value("phase", "");
    if (phase == "Succeeded" || phase == "Failed") return Action::done();
    return startPod(key, *pod);
  }
  // Running: keep projected volumes current, then report.
  kubelet::RuntimeFields fields{entry->runner->podIP(), "127.0.0.1", config_.nodeName};
  if (auto r = entry->volumes->sync(*pod, lookupFor(ns), fields, {}); !r) {
    spdlog::warn("kubelet: pod {}: volumes: {}", key, r.error().message());
  }
  applyFaults(*entry, *pod);
  publishStatus(*entry, *pod);
  return Action::done();
}

runtime::ReconcileResult NodeAgent::startPod(const std::string& key, const Json& pod) {
  const auto ns = pod["metadata"].value("namespace", "default");
  const auto uid = uidOf(pod);
  auto ip = addresses_.allocate(uid);
  if (!ip) {
    spdlog::error("kubelet: pod {}: {}", key, ip.error().message());
    return Action::requeueAfter(std::chrono::seconds(5));
  }
  const fs::path podDir = config_.dir / "pods" / podDirName(pod);
  auto entry = std::make_shared<PodEntry>();
  entry->key = key;
  entry->uid = uid;
  entry->ns = ns;
  entry->claims = claimsOf(pod);
  entry->lastKill = annotation(pod, kKillAnnotation);  // only later changes kill
  entry->volumes = std::make_unique<PodVolumes>(podDir / "volumes", config_.dir / "claims");
  auto claimExists = [this, &ns](const std::string& claim) {
    const auto c = claims_.store().get(ns + "/" + claim);
    return c && !deleting(*c);
  };
  kubelet::RuntimeFields fields{*ip, "127.0.0.1", config_.nodeName};
  auto volumes = entry->volumes->sync(pod, lookupFor(ns), fields, claimExists);
  if (!volumes) {
    // Kubernetes keeps such a pod in ContainerCreating and retries; so do we.
    spdlog::info("kubelet: pod {} waits: {}", key, volumes.error().message());
    addresses_.release(uid);
    entry->volumes->remove();
    (void)events_.warning(podReference(key, uid), "FailedMount", volumes.error().message());
    const Json waiting = waitingStatus(pod, volumes.error().message());
    if (differs(pod.value("status", Json::object()), waiting)) {
      const auto [pns, pname] = runtime::splitKey(key);
      (void)api_.client->patchStatus(res::kPod, pns, pname, Json{{"status", waiting}});
    }
    return Action::requeueAfter(std::chrono::seconds(1));
  }
  const auto& spec = pod["spec"];
  (void)hosts_.setPod(uid, {*ip, spec.value("hostname", pod["metadata"].value("name", "")),
                            spec.value("subdomain", ""), ns});
  entry->runner = std::make_unique<kubelet::PodRunner>(
      kubelet::PodRunner::Config{}
          .withPodDir(podDir)
          .withHostsFile(hosts_.path())
          .withPodIP(*ip)
          .withNodeName(config_.nodeName)
          .withStatusCallback([this, key](const kubelet::PodStatus&) {
            // Called on the runner's supervisor thread: only enqueue.
            podSync_.enqueue(key);
            hostsSync_.enqueue(kHostsKey);
          }));
  if (auto started = entry->runner->start(pod, std::move(*volumes), lookupFor(ns)); !started) {
    spdlog::error("kubelet: pod {} cannot start: {}", key, started.error().message());
    entry->runner.reset();
    (void)hosts_.removePod(uid);
    addresses_.release(uid);
    entry->volumes->remove();
    const auto [pns, pname] = runtime::splitKey(key);
    (void)api_.client->patchStatus(res::kPod, pns, pname,
                                   Json{{"status",
                                         {{"phase", "Failed"},
                                          {"reason", "SandboxStartError"},
                                          {"message", started.error().message()}}}});
    return Action::done();
  }
  spdlog::info("kubelet: started pod {} at {}", key, *ip);
  {
    std::lock_guard lock(mutex_);
    entries_[key] = entry;
  }
  hostsSync_.enqueue(kHostsKey);
  publishStatus(*entry, pod);
  return Action::done();
}

void NodeAgent::recordEngineEvents(PodEntry& entry) {
  const auto lines = entry.runner->events();
  auto from = lines.begin();
  if (!entry.lastEvent.empty()) {
    auto seen = std::find(lines.begin(), lines.end(), entry.lastEvent);
    if (seen != lines.end()) from = seen + 1;
  }
  const auto involved = podReference(entry.key, entry.uid);
  for (auto it = from; it != lines.end(); ++it) {
    const auto space = it->find(' ');  // after the timestamp
    const auto what = space == std::string::npos ? *it : it->substr(space + 1);
    const auto [type, reason] = eventReason(what);
    (void)events_.record(involved, type, reason, what);
    entry.lastEvent = *it;
  }
}

void NodeAgent::publishStatus(PodEntry& entry, const Json& pod) {
  linkLogs(entry, pod);
  recordEngineEvents(entry);
  const Json desired = entry.runner->status().toJson();
  if (!differs(pod.value("status", Json::object()), desired)) return;
  const auto [ns, name] = runtime::splitKey(entry.key);
  auto written = api_.client->patchStatus(res::kPod, ns, name, Json{{"status", desired}});
  if (!written && !written.error().is(ErrorCategory::kNotFound)) {
    spdlog::warn("kubelet: pod {}: status: {}", entry.key, written.error().describe());
    podSync_.queue().addAfter(entry.key, std::chrono::seconds(1));
  }
}

void NodeAgent::terminate(const std::shared_ptr<PodEntry>& entry, std::chrono::seconds grace,
                          bool deleteFromApi) {
  if (entry->terminating.exchange(true)) return;
  spdlog::info("kubelet: stopping pod {} (grace {}s)", entry->key, grace.count());
  (void)events_.normal(podReference(entry->key, entry->uid), "Killing",
                       "Stopping pod (grace period " + std::to_string(grace.count()) + "s)");
  hostsSync_.enqueue(kHostsKey);
  entry->terminator = std::thread([this, entry, grace, deleteFromApi] {
    entry->runner->stop(grace);
    (void)hosts_.removePod(entry->uid);
    addresses_.release(entry->uid);
    entry->volumes->remove();
    std::vector<std::string> wipe;
    {
      std::lock_guard lock(mutex_);
      for (const auto& c : entry->claims) {
        if (pendingWipes_.erase(entry->ns + "/" + c) > 0) wipe.push_back(c);
      }
    }
    for (const auto& c : wipe) {
      std::error_code ec;
      fs::remove_all(claimDirectory(config_.dir / "claims", entry->ns, c), ec);
    }
    if (deleteFromApi) {
      const auto [ns, name] = runtime::splitKey(entry->key);
      deleteNow(ns, name, entry->uid);
    }
    entry->finished = true;
    podSync_.enqueue(entry->key);
    hostsSync_.enqueue(kHostsKey);
  });
}

void NodeAgent::deleteNow(const std::string& ns, const std::string& name, const std::string& uid) {
  // runtime::Client's DeleteOptions has no grace period; the kubelet's final delete needs
  // gracePeriodSeconds=0, so this one request is built by hand.
  runtime::HttpRequest request;
  request.method = "DELETE";
  request.path = res::kPod.objectPath(ns, name);
  request.headers["Content-Type"] = "application/json";
  request.headers["Accept"] = "application/json";
  request.body = Json{{"apiVersion", "v1"},
                      {"kind", "DeleteOptions"},
                      {"gracePeriodSeconds", 0},
                      {"preconditions", {{"uid", uid}}}}
                     .dump();
  for (int attempt = 0; attempt < 5; ++attempt) {
    auto response = api_.transport->send(request);
    if (response &&
        (response->status < 300 || response->status == 404 || response->status == 409)) {
      return;
    }
    spdlog::warn("kubelet: delete pod {}/{}: {}", ns, name,
                 response ? std::to_string(response->status) : response.error().describe());
    std::this_thread::sleep_for(std::chrono::milliseconds(200 << attempt));  // back off
  }
}

runtime::ReconcileResult NodeAgent::syncHosts() {
  std::vector<PodAddress> addresses;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [key, entry] : entries_) {
      if (entry->finished || !entry->runner) continue;
      const auto pod = pods_.store().get(key);
      if (!pod || uidOf(*pod) != entry->uid) continue;
      addresses.push_back({entry->ns, (*pod)["metadata"].value("labels", Json::object()),
                           entry->runner->podIP(), entry->runner->ready(),
                           entry->terminating || deleting(*pod)});
    }
  }
  std::map<std::string, std::vector<std::string>> wanted;
  for (const auto& service : services_.store().list()) {
    wanted[runtime::objectKey(*service)] = serviceAddresses(*service, addresses);
  }
  for (const auto& [key, ips] : wanted) {
    auto it = published_.find(key);
    if (it != published_.end() && it->second == ips) continue;
    const auto [ns, name] = runtime::splitKey(key);
    if (auto r = hosts_.setService(ns, name, ips); !r) {
      spdlog::warn("kubelet: hosts file: {}", r.error().message());
      return Action::requeueAfter(std::chrono::seconds(1));
    }
    published_[key] = ips;
  }
  for (auto it = published_.begin(); it != published_.end();) {
    if (wanted.contains(it->first)) {
      ++it;
      continue;
    }
    const auto [ns, name] = runtime::splitKey(it->first);
    (void)hosts_.removeService(ns, name);
    it = published_.erase(it);
  }
  return Action::done();
}

}  // namespace zkop::sandbox::node
