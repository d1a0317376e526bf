#include "controllers/render/config_map.h"

#include "controllers/render/names.h"
#include "controllers/render/scripts.h"

namespace zkop::render {
namespace {

std::string clusterEnv(const api::ZookeeperCluster& cluster) {
  const auto names = ClusterNames::of(cluster);
  const auto ports = cluster.spec.ports.value_or(api::PortsSpec{});
  // The ensemble's identity: a data dir stamped with another one is emptied at start.
  const auto ensemble = cluster.uid().empty() ? names.ns + "/" + names.cluster : cluster.uid();
  std::string out;
  auto line = [&](std::string_view key, const std::string& value) {
    out += std::string(key) + "='" + value + "'\n";
  };
  line("ZKOP_CLUSTER", names.cluster);
  line("ZKOP_ENSEMBLE_ID", ensemble);
  line("ZKOP_RECONFIG_MODE",
       std::string(api::enumName(cluster.spec.reconfigMode.value_or(api::ReconfigMode::Dynamic))));
  line("ZKOP_PEER_DOMAIN", names.peerDomain());
  line("ZKOP_CLIENT_PORT", std::to_string(ports.client.value_or(2181)));
  line("ZKOP_QUORUM_PORT", std::to_string(ports.quorum.value_or(2888)));
  line("ZKOP_ELECTION_PORT", std::to_string(ports.election.value_or(3888)));
  line("ZKOP_ADMIN_PORT", std::to_string(ports.admin.value_or(8080)));
  line("ZKOP_METRICS_PORT", std::to_string(ports.metrics.value_or(7000)));
  return out;
}

std::string myidLines(const MemberSet& members, const std::set<std::string>* parked) {
  std::string out;
  for (const auto& m : members.members()) {
    if (parked != nullptr && parked->contains(m.pod)) continue;
    out += m.pod + "=" + std::to_string(m.myid) + "\n";
  }
  return out;
}

// The myids of `myids` that some member in the map holds, one per line.
std::string myidsInMap(const MemberSet& members, const std::set<int>* myids) {
  std::string out;
  if (myids == nullptr) return out;
  for (const int myid : *myids) {
    if (members.findMyid(myid) != nullptr) out += std::to_string(myid) + "\n";
  }
  return out;
}

}  // namespace

std::string renderZooCfg(const api::ZookeeperCluster& cluster) {
  const auto config = cluster.spec.config.value_or(api::ZooKeeperConfig{});
  const auto autopurge = config.autopurge.value_or(api::AutopurgeSpec{});
  const bool dynamic =
      cluster.spec.reconfigMode.value_or(api::ReconfigMode::Dynamic) == api::ReconfigMode::Dynamic;
  std::string out =
      "# Rendered by zkop. start.sh appends dataDir, dynamicConfigFile and this member's "
      "addresses.\n";
  auto line = [&](std::string_view key, const std::string& value) {
    out += std::string(key) + "=" + value + "\n";
  };
  line("tickTime", std::to_string(config.tickTime.value_or(2000)));
  line("initLimit", std::to_string(config.initLimit.value_or(10)));
  line("syncLimit", std::to_string(config.syncLimit.value_or(5)));
  line("maxClientCnxns", std::to_string(config.maxClientCnxns.value_or(60)));
  line("autopurge.snapRetainCount", std::to_string(autopurge.snapRetainCount.value_or(3)));
  line("autopurge.purgeInterval", std::to_string(autopurge.purgeInterval.value_or(1)));
  line("reconfigEnabled", dynamic ? "true" : "false");
  // A one-member ensemble still runs as a quorum of one, so it can grow by reconfig.
  line("standaloneEnabled", "false");
  // srvr/mntr/conf are how the operator and the probes read a member's state.
  line("4lw.commands.whitelist", "*");
  for (const auto& [key, value] : config.extra.value_or(api::StringMap{})) line(key, value);
  return out;
}

Json renderConfigMap(const RenderInput& input) {
  const auto names = ClusterNames::of(input.cluster);
  Json data = {
      {"cluster.env", clusterEnv(input.cluster)},
      {"zoo.cfg", renderZooCfg(input.cluster)},
      {"zoo.cfg.dynamic", input.committed.serverLines()},
      {"config-version", input.committed.versionHex()},
      {"myids", myidLines(input.members, input.parkedPods)},
      {"served-myids", myidsInMap(input.members, input.servedMyids)},
      {"lost-myids", myidsInMap(input.members, input.lostMyids)},
      {"start.sh", std::string(startScript())},
      {"probe.sh", std::string(probeScript())},
  };
  if (input.previousList != nullptr) {
    // Static mode mid-roll: the list members not yet restarted still run (observer input).
    data["previous.zoo.cfg.dynamic"] = input.previousList->serverLines();
    data["previous-config-version"] = input.previousList->versionHex();
  }
  return {{"apiVersion", "v1"},
          {"kind", "ConfigMap"},
          {"metadata", ownedMetadata(input.cluster, names.configMap())},
          {"data", data}};
}

}  // namespace zkop::render
