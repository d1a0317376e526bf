#pragma once

// A container's environment as the kubelet computes it at container creation: the image's
// defaults (PATH, HOSTNAME, HOME), then envFrom (in order), then env (in order; later
// entries win), with $(VAR) references expanded against what came before, as Kubernetes
// does. fieldRef reads the pod; configMapKeyRef/secretKeyRef/envFrom read objects through
// a lookup the caller supplies (the engine knows no API server).

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "e2e/kubelet/kubelet_error.h"

namespace zkop::sandbox::kubelet {

using Json = nlohmann::json;

enum class DataSource { ConfigMap, Secret };

// The data of ConfigMap/Secret `name` in the pod's namespace, or nullopt when it does not
// exist. Secret values are already decoded (the caller base64-decodes `data`).
using DataLookup = std::function<std::optional<std::map<std::string, std::string>>(
    DataSource source, const std::string& name)>;

// What fieldRef can read besides the pod object itself.
struct RuntimeFields {
  std::string podIP;
  std::string hostIP = "127.0.0.1";
  std::string nodeName;  // overrides spec.nodeName when set
};

using EnvList = std::vector<std::pair<std::string, std::string>>;

// `pod` is the Pod object (metadata + spec), `container` one entry of spec.containers.
// A missing non-optional reference is an error (Kubernetes: CreateContainerConfigError).
Result<EnvList> resolveEnv(const Json& pod, const Json& container, const RuntimeFields& fields,
                           const DataLookup& lookup);

// $(NAME) → value of NAME in env; $$ → $; unknown references stay as written.
std::string expandReferences(const std::string& text, const EnvList& env);

// The value of a fieldRef path (metadata.name, metadata.labels['k'], status.podIP, ...).
Result<std::string> fieldValue(const Json& pod, const std::string& path,
                               const RuntimeFields& fields);

}  // namespace zkop::sandbox::kubelet
