#include "e2e/kubelet/security_context.h"

#include <sys/stat.h>
#include <unistd.h>

namespace zkop::sandbox::kubelet {
namespace fs = std::filesystem;
using Json = nlohmann::json;

namespace {

std::optional<long long> number(const Json& podSpec, const Json& container, const char* key) {
  for (const Json* scope : {&container, &podSpec}) {
    if (scope->contains("securityContext") && (*scope)["securityContext"].contains(key) &&
        (*scope)["securityContext"][key].is_number_integer()) {
      return (*scope)["securityContext"][key].get<long long>();
    }
  }
  return std::nullopt;
}

bool flag(const Json& podSpec, const Json& container, const char* key) {
  for (const Json* scope : {&container, &podSpec}) {
    if (scope->contains("securityContext") && (*scope)["securityContext"].contains(key) &&
        (*scope)["securityContext"][key].is_boolean()) {
      return (*scope)["securityContext"][key].get<bool>();
    }
  }
  return false;
}

Result<void> grant(const fs::path& path, gid_t gid) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return sysError("stat " + path.string());
  if (S_ISLNK(st.st_mode)) return {};  // never follow links out of the volume
  if (::lchown(path.c_str(), static_cast<uid_t>(-1), gid) != 0) {
    return sysError("chown " + path.string());
  }
  mode_t mode = st.st_mode & 07777;
  mode |= S_IRGRP | S_IWGRP;
  if (S_ISDIR(st.st_mode)) mode |= S_IXGRP | S_ISGID;
  if (::chmod(path.c_str(), mode) != 0) return sysError("chmod " + path.string());
  return {};
}

}  // namespace

Result<std::optional<Credentials>> containerCredentials(const Json& podSpec,
                                                        const Json& container) {
  const auto uid = number(podSpec, container, "runAsUser");
  const auto gid = number(podSpec, container, "runAsGroup");
  if (flag(podSpec, container, "runAsNonRoot") && uid.value_or(0) == 0) {
    return specError("securityContext", "runAsNonRoot and the container would run as root");
  }
  if (!uid && !gid) return std::optional<Credentials>();
  Credentials c;
  c.uid = static_cast<uid_t>(uid.value_or(0));
  c.gid = static_cast<gid_t>(gid.value_or(0));
  if (auto fsGroup = podFsGroup(podSpec)) c.groups.push_back(*fsGroup);
  if (podSpec.contains("securityContext") &&
      podSpec["securityContext"].contains("supplementalGroups")) {
    for (const auto& g : podSpec["securityContext"]["supplementalGroups"]) {
      c.groups.push_back(g.get<gid_t>());
    }
  }
  return std::optional<Credentials>(c);
}

std::optional<gid_t> podFsGroup(const Json& podSpec) {
  if (podSpec.contains("securityContext") && podSpec["securityContext"].contains("fsGroup")) {
    return podSpec["securityContext"]["fsGroup"].get<gid_t>();
  }
  return std::nullopt;
}

Result<void> applyFsGroup(const VolumeMap& volumes, gid_t gid) {
  for (const auto& [name, volume] : volumes) {
    if (volume.readOnly) continue;
    if (auto r = grant(volume.hostPath, gid); !r) return r;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(volume.hostPath, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (auto r = grant(it->path(), gid); !r) return r;
    }
  }
  return {};
}

}  // namespace zkop::sandbox::kubelet
