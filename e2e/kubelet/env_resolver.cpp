#include "e2e/kubelet/env_resolver.h"

namespace zkop::sandbox::kubelet {
namespace {

std::string stringAt(const Json& object, const char* key) {
  if (!object.is_object()) return {};
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool boolAt(const Json& object, const char* key) {
  if (!object.is_object()) return false;
  auto it = object.find(key);
  return it != object.end() && it->is_boolean() && it->get<bool>();
}

void set(EnvList& env, const std::string& name, std::string value) {
  for (auto& [k, v] : env) {
    if (k == name) {
      v = std::move(value);
      return;
    }
  }
  env.emplace_back(name, std::move(value));
}

// metadata.labels['key'] → ("labels", "key")
std::optional<std::pair<std::string, std::string>> subscript(const std::string& path) {
  for (const char* map : {"labels", "annotations"}) {
    const std::string prefix = std::string("metadata.") + map + "['";
    if (path.starts_with(prefix) && path.ends_with("']")) {
      return std::pair{std::string(map),
                       path.substr(prefix.size(), path.size() - prefix.size() - 2)};
    }
  }
  return std::nullopt;
}

}  // namespace

Result<std::string> fieldValue(const Json& pod, const std::string& path,
                               const RuntimeFields& fields) {
  const Json& metadata = pod.contains("metadata") ? pod["metadata"] : Json::object();
  const Json& spec = pod.contains("spec") ? pod["spec"] : Json::object();
  if (path == "metadata.name") return stringAt(metadata, "name");
  if (path == "metadata.namespace") {
    auto ns = stringAt(metadata, "namespace");
    return ns.empty() ? std::string("default") : ns;
  }
  if (path == "metadata.uid") return stringAt(metadata, "uid");
  if (path == "spec.nodeName") {
    return fields.nodeName.empty() ? stringAt(spec, "nodeName") : fields.nodeName;
  }
  if (path == "spec.serviceAccountName") return stringAt(spec, "serviceAccountName");
  if (path == "status.podIP" || path == "status.podIPs") return fields.podIP;
  if (path == "status.hostIP" || path == "status.hostIPs") return fields.hostIP;
  if (auto sub = subscript(path)) {
    const Json& map = metadata.contains(sub->first) ? metadata[sub->first] : Json::object();
    return stringAt(map, sub->second.c_str());
  }
  return specError("fieldRef " + path, "unsupported field path");
}

std::string expandReferences(const std::string& text, const EnvList& env) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '$' || i + 1 >= text.size()) {
      out += text[i];
      continue;
    }
    if (text[i + 1] == '$') {  // $$ escapes a reference
      out += '$';
      ++i;
      continue;
    }
    const auto close = text.find(')', i + 2);
    if (text[i + 1] != '(' || close == std::string::npos) {
      out += text[i];
      continue;
    }
    const std::string name = text.substr(i + 2, close - i - 2);
    const std::string* value = nullptr;
    for (const auto& [k, v] : env) {
      if (k == name) value = &v;
    }
    out += value ? *value : text.substr(i, close - i + 1);
    i = close;
  }
  return out;
}

Result<EnvList> resolveEnv(const Json& pod, const Json& container, const RuntimeFields& fields,
                           const DataLookup& lookup) {
  const Json& spec = pod.contains("spec") ? pod["spec"] : Json::object();
  const Json& metadata = pod.contains("metadata") ? pod["metadata"] : Json::object();
  EnvList env;
  // What the "image" (the host system) would set.
  set(env, "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  auto hostname = stringAt(spec, "hostname");
  set(env, "HOSTNAME", hostname.empty() ? stringAt(metadata, "name") : hostname);

  auto data = [&](DataSource source,
                  const std::string& name) -> std::optional<std::map<std::string, std::string>> {
    if (!lookup) return std::nullopt;
    return lookup(source, name);
  };

  if (container.contains("envFrom")) {
    for (const auto& from : container["envFrom"]) {
      const std::string prefix = stringAt(from, "prefix");
      for (auto [key, source] : {std::pair{"configMapRef", DataSource::ConfigMap},
                                 std::pair{"secretRef", DataSource::Secret}}) {
        if (!from.contains(key)) continue;
        const Json& ref = from[key];
        const auto name = stringAt(ref, "name");
        auto values = data(source, name);
        if (!values) {
          if (boolAt(ref, "optional")) continue;
          return specError(std::string("envFrom ") + key + " " + name, "not found");
        }
        for (const auto& [k, v] : *values) set(env, prefix + k, v);
      }
    }
  }

  if (container.contains("env")) {
    for (const auto& var : container["env"]) {
      const auto name = stringAt(var, "name");
      if (var.contains("value")) {
        set(env, name, expandReferences(stringAt(var, "value"), env));
        continue;
      }
      if (!var.contains("valueFrom")) {
        set(env, name, "");
        continue;
      }
      const Json& from = var["valueFrom"];
      if (from.contains("fieldRef")) {
        auto value = fieldValue(pod, stringAt(from["fieldRef"], "fieldPath"), fields);
        if (!value) return std::unexpected(value.error());
        set(env, name, *value);
        continue;
      }
      bool resolved = false;
      for (auto [key, source] : {std::pair{"configMapKeyRef", DataSource::ConfigMap},
                                 std::pair{"secretKeyRef", DataSource::Secret}}) {
        if (!from.contains(key)) continue;
        resolved = true;
        const Json& ref = from[key];
        const auto object = stringAt(ref, "name");
        const auto wanted = stringAt(ref, "key");
        auto values = data(source, object);
        const bool found = values && values->contains(wanted);
        if (found) {
          set(env, name, values->at(wanted));
        } else if (!boolAt(ref, "optional")) {
          return specError("env " + name,
                           std::string(key) + " " + object + "/" + wanted + " not found");
        }
        // optional and missing: the variable is not set at all, as in Kubernetes.
      }
      if (!resolved) {
        return specError("env " + name, "unsupported valueFrom (resourceFieldRef?)");
      }
    }
  }
  return env;
}

}  // namespace zkop::sandbox::kubelet
