#pragma once

// The root a container runs in, as a plan of mount operations that the container's child
// process applies in its own (private) mount namespace before chroot. Nothing is mounted
// or created in the host's namespace: the root is a fresh tmpfs over an empty directory of
// the state dir (the container's writable layer, gone at restart, as in a container), the
// host's system directories (/usr, /etc, ...) stand in for the image, read-only.
//
// Layout: /usr /etc /opt and the host's /bin /sbin /lib* (bind read-only, or the same
// symlinks when the host has merged /usr); /proc (a new proc for the container's PID
// namespace, /proc/sys read-only); /sys read-only; /dev a tmpfs with null, zero, full, random,
// urandom, tty bound from the host and /dev/shm; /tmp, /run tmpfs; /etc/hosts the sandbox's hosts
// file (read-only); then every volumeMount, parents before children, readOnly honoured, subPath
// supported.
//
// Planning (planPodRoot) runs in the kubelet and may allocate and stat; applying
// (applyPodRoot) runs between clone and exec in a multithreaded program and therefore
// uses only syscalls: no allocation, no locks.

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "e2e/kubelet/kubelet_error.h"

namespace zkop::sandbox::kubelet {

// A volume as the caller prepared it on the host (under the state dir): ConfigMap, Secret
// and downwardAPI files written into a directory, an emptyDir a fresh directory, a PVC
// its persistent directory. readOnly: the source is read-only whatever the mount says
// (ConfigMap, Secret, downwardAPI are, in Kubernetes).
struct VolumeSource {
  std::filesystem::path hostPath;
  bool readOnly = false;
};
using VolumeMap = std::map<std::string, VolumeSource>;

struct MountOp {
  enum class Kind { MakePrivate, Mkdir, Touch, Symlink, Bind, ReadOnly, Tmpfs, Proc };
  Kind kind;
  std::string target;  // absolute host path (under the root), or "/" for MakePrivate
  std::string source;  // Bind: host path; Symlink: link text; Tmpfs: options
  unsigned long flags = 0;
  unsigned mode = 0755;
  std::string describe() const;
};

struct PodRootPlan {
  std::filesystem::path root;  // the directory the container chroots into
  std::vector<MountOp> ops;
};

struct PodRootInput {
  std::filesystem::path rootDir;    // an existing empty directory under the state dir
  std::filesystem::path hostsFile;  // bound over /etc/hosts
  const nlohmann::json& container;  // one entry of spec.containers
  const VolumeMap& volumes;         // by volume name
  std::string workingDir = "/";
};

// Fails when a volumeMount names a volume the caller did not provide, or a subPath escapes
// its volume. Creates a missing subPath directory of a writable volume, as the kubelet does.
Result<PodRootPlan> planPodRoot(const PodRootInput& input);

// Applies the plan. Async-signal-safe. Returns -1 on success, else the index of the failed
// operation with errno set.
int applyPodRoot(const PodRootPlan& plan) noexcept;

}  // namespace zkop::sandbox::kubelet
