#include "controllers/render/services.h"

#include "controllers/render/names.h"

namespace zkop::render {
namespace {

Json port(const std::string& name, int number) {
  return {{"name", name}, {"port", number}, {"targetPort", number}, {"protocol", "TCP"}};
}

}  // namespace

Json renderHeadlessService(const api::ZookeeperCluster& cluster) {
  const auto names = ClusterNames::of(cluster);
  const auto ports = cluster.spec.ports.value_or(api::PortsSpec{});
  return {{"apiVersion", "v1"},
          {"kind", "Service"},
          {"metadata", ownedMetadata(cluster, names.headlessService())},
          {"spec",
           {{"clusterIP", "None"},
            {"publishNotReadyAddresses", true},
            {"selector", selectorLabels(names.cluster)},
            {"ports", Json::array({port("tcp-client", ports.client.value_or(2181)),
                                   port("tcp-quorum", ports.quorum.value_or(2888)),
                                   port("tcp-election", ports.election.value_or(3888)),
                                   port("http-admin", ports.admin.value_or(8080)),
                                   port("http-metrics", ports.metrics.value_or(7000))})}}}};
}

Json renderClientService(const api::ZookeeperCluster& cluster) {
  const auto names = ClusterNames::of(cluster);
  const auto ports = cluster.spec.ports.value_or(api::PortsSpec{});
  return {{"apiVersion", "v1"},
          {"kind", "Service"},
          {"metadata", ownedMetadata(cluster, names.clientService())},
          {"spec",
           {{"type", "ClusterIP"},
            {"selector", selectorLabels(names.cluster)},
            {"ports", Json::array({port("tcp-client", ports.client.value_or(2181))})}}}};
}

}  // namespace zkop::render
