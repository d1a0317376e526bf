#include "e2e/sandbox/node/pod_volumes.h"

#include "e2e/kubelet/projected_files.h"

namespace zkop::sandbox::node {
namespace fs = std::filesystem;
using kubelet::DataSource;
using kubelet::specError;

namespace {

unsigned modeOf(const Json& source, unsigned fallback) {
  const auto& m = source.value("defaultMode", Json());
  return m.is_number_unsigned() || m.is_number_integer() ? m.get<unsigned>() : fallback;
}

// configMap / secret data as files: every key, or just `items` (key → path).
Result<void> addObjectFiles(const Json& source, DataSource kind, const std::string& objectName,
                            const kubelet::DataLookup& lookup,
                            std::map<std::string, std::string>& files) {
  const bool optional = source.value("optional", false);
  const auto what =
      std::string(kind == DataSource::ConfigMap ? "configmap " : "secret ") + objectName;
  const auto data = lookup ? lookup(kind, objectName) : std::nullopt;
  if (!data) {
    if (optional) return {};
    return specError("volume " + what, "not found");
  }
  if (!source.contains("items")) {
    for (const auto& [key, value] : *data) files[key] = value;
    return {};
  }
  for (const auto& item : source["items"]) {
    const auto key = item.value("key", "");
    auto it = data->find(key);
    if (it == data->end()) {
      if (optional) continue;
      return specError("volume " + what, "no key " + key);
    }
    files[item.value("path", key)] = it->second;
  }
  return {};
}

Result<void> addDownwardFiles(const Json& pod, const Json& source,
                              const kubelet::RuntimeFields& fields,
                              std::map<std::string, std::string>& files) {
  for (const auto& item : source.value("items", Json::array())) {
    const auto path = item.value("path", "");
    if (item.contains("fieldRef")) {
      const auto fieldPath = item["fieldRef"].value("fieldPath", "");
      // Labels and annotations as a volume are "k=\"v\"" lines, as the kubelet writes them.
      if (fieldPath == "metadata.labels" || fieldPath == "metadata.annotations") {
        const auto map = pod["metadata"].value(fieldPath.substr(9), Json::object());
        std::string text;
        for (const auto& [k, v] : map.items()) text += k + "=\"" + v.get<std::string>() + "\"\n";
        files[path] = text;
        continue;
      }
      auto value = kubelet::fieldValue(pod, fieldPath, fields);
      if (!value) return std::unexpected(value.error());
      files[path] = *value;
    } else if (item.contains("resourceFieldRef")) {
      // Limits are not enforced here; the declared value is what a container would read.
      const auto& ref = item["resourceFieldRef"];
      std::string value = "0";
      for (const auto& c : pod["spec"].value("containers", Json::array())) {
        if (ref.contains("containerName") && c.value("name", "") != ref.value("containerName", ""))
          continue;
        const auto resource = ref.value("resource", "");  // limits.memory, requests.cpu, ...
        const auto dot = resource.find('.');
        if (dot == std::string::npos) continue;
        const auto v = c.value("resources", Json::object())
                           .value(resource.substr(0, dot), Json::object())
                           .value(resource.substr(dot + 1), Json());
        if (v.is_string()) value = v.get<std::string>();
        if (v.is_number()) value = v.dump();
        break;
      }
      files[path] = value;
    }
  }
  return {};
}

}  // namespace

fs::path claimDirectory(const fs::path& claimsRoot, const std::string& ns,
                        const std::string& claim) {
  return claimsRoot / ns / claim;
}

Result<std::optional<ProjectedVolume>> projectedVolume(const Json& pod, const Json& volume,
                                                       const kubelet::DataLookup& lookup,
                                                       const kubelet::RuntimeFields& fields) {
  ProjectedVolume out;
  if (volume.contains("configMap")) {
    const auto& src = volume["configMap"];
    out.mode = modeOf(src, 0644);
    if (auto r =
            addObjectFiles(src, DataSource::ConfigMap, src.value("name", ""), lookup, out.files);
        !r)
      return std::unexpected(r.error());
    return out;
  }
  if (volume.contains("secret")) {
    const auto& src = volume["secret"];
    out.mode = modeOf(src, 0644);
    if (auto r =
            addObjectFiles(src, DataSource::Secret, src.value("secretName", ""), lookup, out.files);
        !r)
      return std::unexpected(r.error());
    return out;
  }
  if (volume.contains("downwardAPI")) {
    const auto& src = volume["downwardAPI"];
    out.mode = modeOf(src, 0644);
    if (auto r = addDownwardFiles(pod, src, fields, out.files); !r) {
      return std::unexpected(r.error());
    }
    return out;
  }
  if (volume.contains("projected")) {
    const auto& src = volume["projected"];
    out.mode = modeOf(src, 0644);
    for (const auto& source : src.value("sources", Json::array())) {
      Result<void> r;
      if (source.contains("configMap")) {
        r = addObjectFiles(source["configMap"], DataSource::ConfigMap,
                           source["configMap"].value("name", ""), lookup, out.files);
      } else if (source.contains("secret")) {
        r = addObjectFiles(source["secret"], DataSource::Secret, source["secret"].value("name", ""),
                           lookup, out.files);
      } else if (source.contains("downwardAPI")) {
        r = addDownwardFiles(pod, source["downwardAPI"], fields, out.files);
      }
      // serviceAccountToken and clusterTrustBundle sources have nothing to project here.
      if (!r) return std::unexpected(r.error());
    }
    return out;
  }
  return std::optional<ProjectedVolume>{};
}

Result<kubelet::VolumeMap> PodVolumes::sync(const Json& pod, const kubelet::DataLookup& lookup,
                                            const kubelet::RuntimeFields& fields,
                                            const ClaimExists& claimExists) {
  kubelet::VolumeMap volumes;
  const auto ns = pod["metadata"].value("namespace", "default");
  for (const auto& volume : pod["spec"].value("volumes", Json::array())) {
    const auto name = volume.value("name", "");
    const fs::path dir = dir_ / name;
    std::error_code ec;
    if (volume.contains("persistentVolumeClaim")) {
      const auto claim = volume["persistentVolumeClaim"].value("claimName", "");
      if (claimExists && !claimExists(claim)) {
        return specError("volume " + name, "persistentvolumeclaim " + claim + " not found");
      }
      const auto claimDir = claimDirectory(claimsRoot_, ns, claim);
      fs::create_directories(claimDir, ec);
      if (ec) return specError("create " + claimDir.string(), ec.message());
      volumes[name] = {claimDir, volume["persistentVolumeClaim"].value("readOnly", false)};
      continue;
    }
    if (volume.contains("emptyDir")) {
      fs::create_directories(dir, ec);
      if (ec) return specError("create " + dir.string(), ec.message());
      volumes[name] = {dir, false};
      continue;
    }
    auto projected = projectedVolume(pod, volume, lookup, fields);
    if (!projected) return std::unexpected(projected.error());
    if (!*projected) return specError("volume " + name, "unsupported volume type in the sandbox");
    auto previous = written_.find(name);
    const bool same = previous != written_.end() && previous->second.files == (*projected)->files &&
                      previous->second.mode == (*projected)->mode;
    if (!same) {
      if (auto r = kubelet::writeProjectedFiles(dir, (*projected)->files, (*projected)->mode); !r) {
        return std::unexpected(r.error());
      }
      written_[name] = std::move(**projected);
    }
    volumes[name] = {dir, true};
  }
  return volumes;
}

void PodVolumes::remove() {
  std::error_code ec;
  fs::remove_all(dir_, ec);
  written_.clear();
}

}  // namespace zkop::sandbox::node
