#pragma once

// NodeAgent: the sandbox's kubelet, the sync half (the execution engine is e2e/kubelet). It
// watches Pods, ConfigMaps, Secrets, Services and PersistentVolumeClaims through the API's
// HTTPS endpoint and, for the one node it stands for:
//  - binds pods that name no node (the sandbox has one node, so this is the whole scheduler);
//  - starts every bound pod without deletionTimestamp: an address from the AddressAllocator,
//    its volumes (PodVolumes), its names in the HostsFile, then PodRunner;
//  - writes the pod's status through /status whenever the engine reports a change;
//  - records Events on pods as a kubelet does (Scheduled, FailedMount, Killing, and the
//    engine's container events: Started, Unhealthy, Failed, ...);
//  - applies the faults tests ask for with annotations (kill, freeze/thaw a pod; wipe a claim);
//  - links every container's current and previous log under <dir>/logs/<ns>/<pod>/;
//  - keeps ConfigMap/Secret volumes current and Service names in the hosts file pointing at
//    their ready pods;
//  - on deletionTimestamp stops the pod (preStop, SIGTERM, the deletion's grace period,
//    SIGKILL) and then deletes it with gracePeriodSeconds=0, as the kubelet does; a pod that
//    vanished from the API (force deletion) is killed at once.
// Each pod is one key of the work queue ("namespace/name"), so one pod is never synced twice
// at once; stopping a pod runs on its own thread so a long grace period blocks nobody.
//
// Stopping the agent kills every pod at once (as a node losing power): the pods stay in the
// API and are started again by the next agent on the same state dir.

#include <atomic>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "e2e/controllers/api_connection.h"
#include "e2e/controllers/running_informer.h"
#include "e2e/kubelet/address_allocator.h"
#include "e2e/kubelet/env_resolver.h"
#include "e2e/kubelet/hosts_file.h"
#include "operator/runtime/controller.h"
#include "operator/runtime/event_recorder.h"

namespace zkop::sandbox::node {

using runtime::Json;

struct NodeAgentConfig {
  std::filesystem::path dir;  // <state dir>/node: hosts, pods/, claims/
  std::string nodeName = "sandbox";
  // Picks the instance's 127.A.B.0/24 block (the state dir: stable, distinct per sandbox).
  std::string addressBlockName;
  int workers = 4;

  NodeAgentConfig& withDir(std::filesystem::path v) {
    dir = std::move(v);
    return *this;
  }
  NodeAgentConfig& withNodeName(std::string v) {
    nodeName = std::move(v);
    return *this;
  }
  NodeAgentConfig& withAddressBlockName(std::string v) {
    addressBlockName = std::move(v);
    return *this;
  }
};

class NodeAgent {
 public:
  NodeAgent(ApiConnection api, NodeAgentConfig config);
  ~NodeAgent();
  NodeAgent(const NodeAgent&) = delete;
  NodeAgent& operator=(const NodeAgent&) = delete;

  // Creates the hosts file, starts the informers, waits for their first list, then syncs.
  kubelet::Result<void> start();
  // Stops syncing and kills every pod at once.
  void stop();

  const std::filesystem::path& hostsFile() const { return hosts_.path(); }

 private:
  struct PodEntry;

  runtime::ReconcileResult syncPod(const std::string& key);
  runtime::ReconcileResult syncHosts();
  runtime::ReconcileResult startPod(const std::string& key, const Json& pod);
  void publishStatus(PodEntry& entry, const Json& pod);
  void terminate(const std::shared_ptr<PodEntry>& entry, std::chrono::seconds grace,
                 bool deleteFromApi);
  void deleteNow(const std::string& ns, const std::string& name, const std::string& uid);
  kubelet::DataLookup lookupFor(const std::string& ns) const;
  void enqueueNamespacePods(const runtime::ObjectPtr& object);
  void claimDeleted(const runtime::ObjectPtr& claim);
  void claimUpdated(const runtime::ObjectPtr& old, const runtime::ObjectPtr& claim);
  void applyFaults(PodEntry& entry, const Json& pod);
  void linkLogs(const PodEntry& entry, const Json& pod);
  void recordEngineEvents(PodEntry& entry);
  bool claimInUse(const std::string& ns, const std::string& claim) const;

  ApiConnection api_;
  NodeAgentConfig config_;
  kubelet::HostsFile hosts_;
  kubelet::AddressAllocator addresses_;
  runtime::EventRecorder events_;

  RunningInformer pods_;
  RunningInformer configMaps_;
  RunningInformer secrets_;
  RunningInformer services_;
  RunningInformer claims_;
  runtime::Controller podSync_;
  runtime::Controller hostsSync_;

  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<PodEntry>> entries_;   // by pod key
  std::set<std::string> pendingWipes_;                         // claims deleted while in use
  std::map<std::string, std::vector<std::string>> published_;  // service key -> IPs in hosts
  std::atomic<bool> stopped_{false};
};

}  // namespace zkop::sandbox::node
