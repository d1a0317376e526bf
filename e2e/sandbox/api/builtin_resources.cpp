#include "e2e/sandbox/api/builtin_resources.h"

namespace zkop::sandbox {
namespace {

PrinterColumn col(std::string name, std::string path, std::string type = "string",
                  int priority = 0) {
  return {std::move(name), std::move(type), "", "", std::move(path), priority};
}

const PrinterColumn kAge{
    "Age",
    "date",
    "",
    "CreationTimestamp is a timestamp representing the server time when this object was created.",
    ".metadata.creationTimestamp",
    0};

struct Spec {
  std::string group, version, plural, singular, kind;
  bool namespaced;
  std::vector<std::string> short_names;
  bool status = false;
  bool scale = false;
  std::vector<PrinterColumn> columns = {};
  std::vector<std::string> categories = {};
};

ResourceType make(Spec s) {
  ResourceType t;
  t.group = s.group;
  t.version = s.version;
  t.plural = s.plural;
  t.singular = s.singular;
  t.kind = s.kind;
  t.list_kind = s.kind + "List";
  t.namespaced = s.namespaced;
  t.short_names = s.short_names;
  t.categories = s.categories;
  t.status_subresource = s.status;
  if (s.scale) t.scale = ScalePaths{};
  t.columns = s.columns;
  t.columns.push_back(kAge);
  return t;
}

}  // namespace

std::vector<ResourceType> builtin_resource_types() {
  // Column paths use the sandbox's small JSONPath; "Ready"-style computed columns of the real
  // printers are approximated by the closest stored field.
  std::vector<ResourceType> types = {
      make({"",
            "v1",
            "namespaces",
            "namespace",
            "Namespace",
            false,
            {"ns"},
            true,
            false,
            {col("Status", ".status.phase")}}),
      make({"",
            "v1",
            "configmaps",
            "configmap",
            "ConfigMap",
            true,
            {"cm"},
            false,
            false,
            {col("Data", "#count:.data", "integer")}}),
      make({"",
            "v1",
            "secrets",
            "secret",
            "Secret",
            true,
            {},
            false,
            false,
            {col("Type", ".type"), col("Data", "#count:.data", "integer")}}),
      make({"",
            "v1",
            "services",
            "service",
            "Service",
            true,
            {"svc"},
            true,
            false,
            {col("Type", ".spec.type"), col("Cluster-IP", ".spec.clusterIP"),
             col("External-IP", ".spec.externalIPs"), col("Port(s)", "#ports:.spec.ports")},
            {"all"}}),
      make({"",
            "v1",
            "pods",
            "pod",
            "Pod",
            true,
            {"po"},
            true,
            false,
            {col("Ready", "#ready:"), col("Status", ".status.phase"),
             col("Restarts", "#restarts:", "integer"), col("IP", ".status.podIP", "string", 1),
             col("Node", ".spec.nodeName", "string", 1)},
            {"all"}}),
      make({"",
            "v1",
            "persistentvolumeclaims",
            "persistentvolumeclaim",
            "PersistentVolumeClaim",
            true,
            {"pvc"},
            true,
            false,
            {col("Status", ".status.phase"), col("Volume", ".spec.volumeName"),
             col("Capacity", ".status.capacity.storage"), col("Access Modes", ".spec.accessModes"),
             col("StorageClass", ".spec.storageClassName")}}),
      make({"",
            "v1",
            "events",
            "event",
            "Event",
            true,
            {"ev"},
            false,
            false,
            {col("Type", ".type"), col("Reason", ".reason"), col("Object", "#involved:"),
             col("Message", ".message")}}),
      make({"", "v1", "serviceaccounts", "serviceaccount", "ServiceAccount", true, {"sa"}}),
      make({"", "v1", "endpoints", "endpoints", "Endpoints", true, {"ep"}}),
      make({"events.k8s.io",
            "v1",
            "events",
            "event",
            "Event",
            true,
            {"ev"},
            false,
            false,
            {col("Type", ".type"), col("Reason", ".reason"), col("Note", ".note")}}),
      make({"apps",
            "v1",
            "statefulsets",
            "statefulset",
            "StatefulSet",
            true,
            {"sts"},
            true,
            true,
            {col("Ready", "#ratio:.status.readyReplicas/.spec.replicas")},
            {"all"}}),
      make({"apps",
            "v1",
            "controllerrevisions",
            "controllerrevision",
            "ControllerRevision",
            true,
            {},
            false,
            false,
            {col("Revision", ".revision", "integer")}}),
      make({"policy",
            "v1",
            "poddisruptionbudgets",
            "poddisruptionbudget",
            "PodDisruptionBudget",
            true,
            {"pdb"},
            true,
            false,
            {col("Min Available", ".spec.minAvailable"),
             col("Max Unavailable", ".spec.maxUnavailable"),
             col("Allowed Disruptions", ".status.disruptionsAllowed", "integer")}}),
      make({"coordination.k8s.io",
            "v1",
            "leases",
            "lease",
            "Lease",
            true,
            {},
            false,
            false,
            {col("Holder", ".spec.holderIdentity")}}),
      make({"apiextensions.k8s.io",
            "v1",
            "customresourcedefinitions",
            "customresourcedefinition",
            "CustomResourceDefinition",
            false,
            {"crd", "crds"},
            true,
            false,
            {}}),
      make({"rbac.authorization.k8s.io", "v1", "roles", "role", "Role", true, {}}),
      make({"rbac.authorization.k8s.io",
            "v1",
            "rolebindings",
            "rolebinding",
            "RoleBinding",
            true,
            {},
            false,
            false,
            {col("Role", "#roleref:")}}),
      make({"rbac.authorization.k8s.io",
            "v1",
            "clusterroles",
            "clusterrole",
            "ClusterRole",
            false,
            {}}),
      make({"rbac.authorization.k8s.io",
            "v1",
            "clusterrolebindings",
            "clusterrolebinding",
            "ClusterRoleBinding",
            false,
            {},
            false,
            false,
            {col("Role", "#roleref:")}}),
  };
  // The label selector of a StatefulSet's Scale comes from its spec.selector.
  return types;
}

}  // namespace zkop::sandbox
