#pragma once

// The ZookeeperCluster resource (zkop.io/v1alpha1), as C++ value types.
//
// Every struct declares its wire fields once, in `visitFields`. The JSON codec
// (json_codec.h), the defaulter (defaults.h) and the CRD schema (openapi_schema.h) all walk
// these declarations, so a field cannot exist in one of them and not in the others.
// Optional members mirror the wire: absent stays absent on a round trip; api::applyDefaults
// fills what the API server would fill.

#include <concepts>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "controllers/api/enums.h"
#include "controllers/api/field_doc.h"
#include "controllers/api/json.h"

namespace zkop::api {

inline constexpr std::string_view kGroup = "zkop.io";
inline constexpr std::string_view kVersion = "v1alpha1";
inline constexpr std::string_view kApiVersion = "zkop.io/v1alpha1";
inline constexpr std::string_view kKind = "ZookeeperCluster";
inline constexpr std::string_view kPlural = "zookeeperclusters";
// ZooKeeper's myid must fit in one byte's range in the classic deployments the seeds use.
inline constexpr int kMaxMyid = 255;

template <class S, class T>
concept SameOrConst = std::same_as<std::remove_const_t<S>, T>;

using StringMap = std::map<std::string, std::string>;

struct ImageSpec {
  std::optional<std::string> repository;
  std::optional<std::string> tag;
  std::optional<PullPolicy> pullPolicy;
  friend bool operator==(const ImageSpec&, const ImageSpec&) = default;
};
template <class V, SameOrConst<ImageSpec> S>
void visitFields(V& v, S& s) {
  v.field("repository", s.repository,
          {.description = "Container image repository of the ZooKeeper server.",
           .defaultValue = "zookeeper"});
  v.field("tag", s.tag,
          {.description = "Image tag; the ZooKeeper version is derived from it "
                          "when spec.version is not set."});
  v.field("pullPolicy", s.pullPolicy,
          {.description = "Image pull policy.", .defaultValue = "IfNotPresent"});
}

struct StorageSpec {
  std::optional<std::string> storageClassName;
  std::optional<std::string> size;
  friend bool operator==(const StorageSpec&, const StorageSpec&) = default;
};
template <class V, SameOrConst<StorageSpec> S>
void visitFields(V& v, S& s) {
  v.field("storageClassName", s.storageClassName,
          {.description = "StorageClass of this pool's data volumes (overrides "
                          "spec.persistence.storageClassName)."});
  v.field("size", s.size,
          {.description = "Size of this pool's data volumes (overrides spec.persistence.size).",
           .pattern = R"(^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$)",
           .patternMessage = "must be a quantity such as 10Gi"});
}

struct PoolSpec {
  std::string name;
  std::optional<int> replicas;
  std::optional<int> observers;
  std::optional<std::string> zone;
  std::optional<int> leaderPriority;
  std::optional<StringMap> nodeSelector;
  std::optional<Json> affinity;
  std::optional<Json> tolerations;
  std::optional<StorageSpec> storage;
  friend bool operator==(const PoolSpec&, const PoolSpec&) = default;
};
template <class V, SameOrConst<PoolSpec> S>
void visitFields(V& v, S& s) {
  v.field("name", s.name,
          {.description = "Pool name, unique in the cluster; part of the StatefulSet name.",
           .required = true,
           .pattern = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$",
           .patternMessage = "must be a DNS label (lower case letters, digits and '-')"});
  v.field("replicas", s.replicas,
          {.description = "Voting members in this pool.", .minimum = 0, .defaultValue = 0});
  v.field("observers", s.observers,
          {.description = "Non-voting members (observers) in this pool.",
           .minimum = 0,
           .defaultValue = 0});
  v.field("zone", s.zone,
          {.description = "Zone the pool runs in (topology.kubernetes.io/zone node selector)."});
  v.field("leaderPriority", s.leaderPriority,
          {.description = "Pools with a higher priority get the higher myids, so their members "
                          "win elections when zxids are equal.",
           .minimum = 0,
           .maximum = 100,
           .defaultValue = 0});
  v.field("nodeSelector", s.nodeSelector, {.description = "Node selector of this pool's pods."});
  v.field("affinity", s.affinity,
          {.description = "Affinity of this pool's pods (core/v1 Affinity).", .rawType = "object"});
  v.field("tolerations", s.tolerations,
          {.description = "Tolerations of this pool's pods (core/v1 Toleration list).",
           .rawType = "array"});
  v.field("storage", s.storage, {.description = "Storage of this pool's data volumes."});
}

struct ExternalMember {
  int myid = 0;
  std::string host{};
  std::optional<int> clientPort{};
  std::optional<int> quorumPort{};
  std::optional<int> electionPort{};
  std::optional<MemberRole> role{};
  friend bool operator==(const ExternalMember&, const ExternalMember&) = default;
};
template <class V, SameOrConst<ExternalMember> S>
void visitFields(V& v, S& s) {
  v.field(
      "myid", s.myid,
      {.description = "The server's myid.", .minimum = 1, .maximum = kMaxMyid, .required = true});
  v.field("host", s.host,
          {.description = "Host name or address the other members reach this server at.",
           .required = true});
  v.field("clientPort", s.clientPort,
          {.description = "Client port.", .minimum = 1, .maximum = 65535, .defaultValue = 2181});
  v.field("quorumPort", s.quorumPort,
          {.description = "Quorum port.", .minimum = 1, .maximum = 65535, .defaultValue = 2888});
  v.field("electionPort", s.electionPort,
          {.description = "Leader election port.",
           .minimum = 1,
           .maximum = 65535,
           .defaultValue = 3888});
  v.field("role", s.role,
          {.description = "Voting role of the server.", .defaultValue = "Participant"});
}

struct AutopurgeSpec {
  std::optional<int> snapRetainCount;
  std::optional<int> purgeInterval;
  friend bool operator==(const AutopurgeSpec&, const AutopurgeSpec&) = default;
};
template <class V, SameOrConst<AutopurgeSpec> S>
void visitFields(V& v, S& s) {
  v.field("snapRetainCount", s.snapRetainCount,
          {.description = "Snapshots kept by autopurge.", .minimum = 3, .defaultValue = 3});
  v.field("purgeInterval", s.purgeInterval,
          {.description = "Hours between purges; 0 disables autopurge.",
           .minimum = 0,
           .defaultValue = 1});
}

struct ZooKeeperConfig {
  std::optional<int> tickTime;
  std::optional<int> initLimit;
  std::optional<int> syncLimit;
  std::optional<int> maxClientCnxns;
  std::optional<AutopurgeSpec> autopurge;
  std::optional<StringMap> extra;
  friend bool operator==(const ZooKeeperConfig&, const ZooKeeperConfig&) = default;
};
template <class V, SameOrConst<ZooKeeperConfig> S>
void visitFields(V& v, S& s) {
  v.field("tickTime", s.tickTime,
          {.description = "Basic time unit in milliseconds.", .minimum = 1, .defaultValue = 2000});
  v.field("initLimit", s.initLimit,
          {.description = "Ticks a follower may take to connect and sync to the leader.",
           .minimum = 1,
           .defaultValue = 10});
  v.field("syncLimit", s.syncLimit,
          {.description = "Ticks a follower may lag behind the leader.",
           .minimum = 1,
           .defaultValue = 5});
  v.field("maxClientCnxns", s.maxClientCnxns,
          {.description = "Connections one client address may open; 0 means unlimited.",
           .minimum = 0,
           .defaultValue = 60});
  v.field(
      "autopurge", s.autopurge,
      {.description = "Automatic purging of old snapshots and logs.", .defaultEmptyObject = true});
  v.field(
      "extra", s.extra,
      {.description = "Further zoo.cfg keys. Keys the operator manages (dataDir, "
                      "dynamicConfigFile, server.N, ports, reconfigEnabled, ...) are refused."});
}

struct PersistenceSpec {
  std::optional<std::string> storageClassName;
  std::optional<std::string> size;
  std::optional<ReclaimPolicy> reclaimPolicy;
  friend bool operator==(const PersistenceSpec&, const PersistenceSpec&) = default;
};
template <class V, SameOrConst<PersistenceSpec> S>
void visitFields(V& v, S& s) {
  v.field("storageClassName", s.storageClassName,
          {.description = "StorageClass of the data volumes; the cluster default when unset."});
  v.field("size", s.size,
          {.description = "Size of each member's data volume.",
           .defaultValue = "10Gi",
           .pattern = R"(^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$)",
           .patternMessage = "must be a quantity such as 10Gi"});
  v.field("reclaimPolicy", s.reclaimPolicy,
          {.description = "Whether the data volumes are deleted with the cluster.",
           .defaultValue = "Retain"});
}

struct PortsSpec {
  std::optional<int> client;
  std::optional<int> quorum;
  std::optional<int> election;
  std::optional<int> admin;
  std::optional<int> metrics;
  friend bool operator==(const PortsSpec&, const PortsSpec&) = default;
};
template <class V, SameOrConst<PortsSpec> S>
void visitFields(V& v, S& s) {
  constexpr std::int64_t lo = 1, hi = 65535;
  v.field("client", s.client,
          {.description = "Client port.", .minimum = lo, .maximum = hi, .defaultValue = 2181});
  v.field("quorum", s.quorum,
          {.description = "Quorum (follower to leader) port.",
           .minimum = lo,
           .maximum = hi,
           .defaultValue = 2888});
  v.field(
      "election", s.election,
      {.description = "Leader election port.", .minimum = lo, .maximum = hi, .defaultValue = 3888});
  v.field("admin", s.admin,
          {.description = "AdminServer (HTTP) port.",
           .minimum = lo,
           .maximum = hi,
           .defaultValue = 8080});
  v.field("metrics", s.metrics,
          {.description = "Prometheus metrics port.",
           .minimum = lo,
           .maximum = hi,
           .defaultValue = 7000});
}

struct SecuritySpec {
  std::optional<std::string> superUserSecret;
  friend bool operator==(const SecuritySpec&, const SecuritySpec&) = default;
};
template <class V, SameOrConst<SecuritySpec> S>
void visitFields(V& v, S& s) {
  v.field("superUserSecret", s.superUserSecret,
          {.description = "Secret with keys `password` and `digest` of the ZooKeeper super user, "
                          "used to authenticate reconfig (instead of skipACL). Defaults to "
                          "<cluster>-super, which the operator creates."});
}

struct UpdatePolicy {
  std::optional<UpdateStrategy> strategy;
  std::optional<bool> paused;
  friend bool operator==(const UpdatePolicy&, const UpdatePolicy&) = default;
};
template <class V, SameOrConst<UpdatePolicy> S>
void visitFields(V& v, S& s) {
  v.field("strategy", s.strategy,
          {.description = "Restart order of a version upgrade: LeaderLast (followers first), "
                          "Handoff (Dynamic mode: move leadership away by reconfig before "
                          "restarting the leader) or StatefulSet (ordinal order, a baseline).",
           .defaultValue = "LeaderLast"});
  v.field("paused", s.paused,
          {.description = "Stop taking steps; the current step finishes.", .defaultValue = false});
}

struct ZookeeperClusterSpec {
  std::optional<int> replicas;
  std::optional<int> observers;
  std::optional<ImageSpec> image;
  std::optional<std::string> version;
  std::optional<ReconfigMode> reconfigMode;
  std::optional<int> myidBase;
  std::optional<bool> allowEvenReplicas;
  std::optional<std::vector<PoolSpec>> pools;
  std::optional<std::vector<ExternalMember>> externalMembers;
  std::optional<ZooKeeperConfig> config;
  std::optional<PersistenceSpec> persistence;
  std::optional<Json> resources;
  std::optional<PortsSpec> ports;
  std::optional<SecuritySpec> security;
  std::optional<UpdatePolicy> updatePolicy;
  std::optional<std::string> clusterDomain;
  friend bool operator==(const ZookeeperClusterSpec&, const ZookeeperClusterSpec&) = default;
};
template <class V, SameOrConst<ZookeeperClusterSpec> S>
void visitFields(V& v, S& s) {
  v.field("replicas", s.replicas,
          {.description = "Voting members. Without pools they form one pool named `default`; "
                          "with pools it is their sum (leave unset or equal).",
           .minimum = 1});
  v.field(
      "observers", s.observers,
      {.description = "Non-voting members of the default pool.", .minimum = 0, .defaultValue = 0});
  v.field("image", s.image, {.description = "ZooKeeper server image.", .defaultEmptyObject = true});
  v.field("version", s.version,
          {.description = "ZooKeeper version (e.g. 3.8.4); derived from image.tag when unset. "
                          "Changing it is a version upgrade.",
           .pattern = R"(^[0-9]+\.[0-9]+\.[0-9]+([-.][0-9A-Za-z.-]+)?$)",
           .patternMessage = "must be a ZooKeeper version such as 3.8.4"});
  v.field("reconfigMode", s.reconfigMode,
          {.description = "Dynamic uses `reconfig` (ZooKeeper >= 3.5); Static rewrites server "
                          "lists with rolling restarts.",
           .defaultValue = "Dynamic",
           .rules = {{"self == oldSelf", "reconfigMode is immutable"}}});
  v.field("myidBase", s.myidBase,
          {.description = "First myid issued to this cluster's members.",
           .minimum = 1,
           .maximum = kMaxMyid,
           .defaultValue = 1,
           .rules = {{"self == oldSelf", "myidBase is immutable"}}});
  v.field("allowEvenReplicas", s.allowEvenReplicas,
          {.description = "Accept an even number of voters (tolerates no more failures than "
                          "one fewer).",
           .defaultValue = false});
  v.field("pools", s.pools,
          {.description = "Groups of members placed apart (zones, node sets). Moving replicas "
                          "between pools is a migration.",
           .listMapKeys = {"name"}});
  v.field("externalMembers", s.externalMembers,
          {.description = "Servers outside this Kubernetes cluster that share the ensemble.",
           .listMapKeys = {"myid"}});
  v.field("config", s.config, {.description = "zoo.cfg settings.", .defaultEmptyObject = true});
  v.field("persistence", s.persistence,
          {.description = "Data volumes.", .defaultEmptyObject = true});
  v.field("resources", s.resources,
          {.description = "Compute resources of each server (core/v1 ResourceRequirements); the "
                          "JVM heap is sized from the memory limit.",
           .rawType = "object"});
  v.field("ports", s.ports, {.description = "Ports.", .defaultEmptyObject = true});
  v.field("security", s.security, {.description = "Security.", .defaultEmptyObject = true});
  v.field("updatePolicy", s.updatePolicy,
          {.description = "How changes are rolled out.", .defaultEmptyObject = true});
  v.field(
      "clusterDomain", s.clusterDomain,
      {.description = "DNS domain of the Kubernetes cluster.", .defaultValue = "cluster.local"});
}

// ---- status ----

struct Condition {
  std::string type;
  std::string status;
  std::optional<std::string> reason;
  std::optional<std::string> message;
  std::optional<std::int64_t> observedGeneration;
  std::optional<std::string> lastTransitionTime;
  friend bool operator==(const Condition&, const Condition&) = default;
};
template <class V, SameOrConst<Condition> S>
void visitFields(V& v, S& s) {
  v.field("type", s.type,
          {.description = "Ready, Progressing, Degraded or QuorumAvailable.", .required = true});
  v.field("status", s.status, {.description = "True, False or Unknown.", .required = true});
  v.field("reason", s.reason, {.description = "CamelCase reason for the last transition."});
  v.field("message", s.message, {.description = "Human-readable details."});
  v.field("observedGeneration", s.observedGeneration,
          {.description = "Generation the condition was set for."});
  v.field("lastTransitionTime", s.lastTransitionTime,
          {.description = "When the status last changed (RFC 3339)."});
}

struct MemberStatus {
  std::string name;
  std::optional<int> myid;
  std::optional<std::string> host;
  std::optional<std::string> pool;
  std::optional<MemberRole> role;
  std::optional<std::string> mode;
  std::optional<std::string> zxid;
  std::optional<std::string> version;
  std::optional<bool> ready;
  std::optional<bool> synced;
  friend bool operator==(const MemberStatus&, const MemberStatus&) = default;
};
template <class V, SameOrConst<MemberStatus> S>
void visitFields(V& v, S& s) {
  v.field("name", s.name,
          {.description = "Pod name, or host of an external member.", .required = true});
  v.field("myid", s.myid, {.description = "The member's myid."});
  v.field("host", s.host, {.description = "Stable DNS name the peers use."});
  v.field("pool", s.pool, {.description = "Pool of the member."});
  v.field("role", s.role, {.description = "Role in the committed config."});
  v.field("mode", s.mode, {.description = "Mode ZooKeeper reports (leader, follower, observer)."});
  v.field("zxid", s.zxid, {.description = "Last zxid the member reported (hex)."});
  v.field("version", s.version, {.description = "ZooKeeper version the member runs."});
  v.field("ready", s.ready, {.description = "The pod is ready."});
  v.field("synced", s.synced, {.description = "The leader counts the member as synced."});
}

struct OperationStep {
  std::string description;
  std::optional<std::string> state;
  friend bool operator==(const OperationStep&, const OperationStep&) = default;
};
template <class V, SameOrConst<OperationStep> S>
void visitFields(V& v, S& s) {
  v.field("description", s.description, {.description = "What the step does.", .required = true});
  v.field("state", s.state, {.description = "Pending, Running, Done or Failed."});
}

struct OperationStatus {
  std::string kind;
  std::optional<std::vector<OperationStep>> steps;
  std::optional<int> currentStep;
  std::optional<std::string> started;
  std::optional<Json> detail;
  friend bool operator==(const OperationStatus&, const OperationStatus&) = default;
};
template <class V, SameOrConst<OperationStatus> S>
void visitFields(V& v, S& s) {
  v.field("kind", s.kind,
          {.description = "Upgrade, ScaleOut, ScaleIn, Replace, Migrate, ...", .required = true});
  v.field("steps", s.steps, {.description = "The plan as it stands."});
  v.field("currentStep", s.currentStep, {.description = "Index of the step being taken."});
  v.field("started", s.started, {.description = "When the operation started (RFC 3339)."});
  v.field("detail", s.detail,
          {.description = "What the operator recorded before acting, to resume after a crash.",
           .rawType = "object"});
}

struct ZookeeperClusterStatus {
  std::optional<std::int64_t> observedGeneration;
  std::optional<Phase> phase;
  std::optional<int> replicas;
  std::optional<int> readyReplicas;
  std::optional<std::string> selector;
  std::optional<std::string> leader;
  std::optional<std::string> currentVersion;
  std::optional<std::string> targetVersion;
  std::optional<std::string> configVersion;
  std::optional<int> highestMyid;
  std::optional<std::int64_t> barrierConfigVersion;
  std::optional<StringMap> myids;
  std::optional<std::vector<MemberStatus>> members;
  std::optional<OperationStatus> operation;
  std::optional<std::vector<Condition>> conditions;
  friend bool operator==(const ZookeeperClusterStatus&, const ZookeeperClusterStatus&) = default;
};
template <class V, SameOrConst<ZookeeperClusterStatus> S>
void visitFields(V& v, S& s) {
  v.field("observedGeneration", s.observedGeneration,
          {.description = "Generation of the spec the status reflects."});
  v.field("phase", s.phase, {.description = "Summary of what the cluster is doing."});
  v.field("replicas", s.replicas, {.description = "Voting members (scale subresource)."});
  v.field("readyReplicas", s.readyReplicas, {.description = "Members whose pods are ready."});
  v.field("selector", s.selector, {.description = "Label selector of the members' pods."});
  v.field("leader", s.leader, {.description = "Pod (or host) of the current leader."});
  v.field("currentVersion", s.currentVersion,
          {.description = "ZooKeeper version every member runs."});
  v.field("targetVersion", s.targetVersion, {.description = "Version being rolled out."});
  v.field("configVersion", s.configVersion,
          {.description = "Version of the committed dynamic config (hex)."});
  v.field("highestMyid", s.highestMyid,
          {.description = "Highest myid ever issued; myids are never reused."});
  v.field("barrierConfigVersion", s.barrierConfigVersion,
          {.description = "Config version under which the operator's last write barrier "
                          "committed; servers a reconfig removed are stopped only after it."});
  v.field("myids", s.myids, {.description = "The operator's member set: pod name -> myid."});
  v.field("members", s.members, {.description = "Observed members.", .listMapKeys = {"name"}});
  v.field("operation", s.operation, {.description = "The operation in progress."});
  v.field(
      "conditions", s.conditions,
      {.description = "Ready, Progressing, Degraded, QuorumAvailable.", .listMapKeys = {"type"}});
}

// The whole resource. Metadata stays raw JSON so that everything the API server keeps
// (labels, annotations, managedFields, ...) survives a round trip untouched.
struct ZookeeperCluster {
  Json metadata = Json::object();
  ZookeeperClusterSpec spec;
  std::optional<ZookeeperClusterStatus> status;

  std::string name() const { return metadata.value("name", ""); }
  std::string namespace_() const { return metadata.value("namespace", "default"); }
  std::string uid() const { return metadata.value("uid", ""); }
  std::int64_t generation() const { return metadata.value("generation", std::int64_t{0}); }
  friend bool operator==(const ZookeeperCluster&, const ZookeeperCluster&) = default;
};

}  // namespace zkop::api
