#include "e2e/kubelet/pod_root.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>

namespace zkop::sandbox::kubelet {
namespace fs = std::filesystem;
namespace {

using Json = nlohmann::json;

// Flags a read-only remount must keep: the kernel refuses to drop nosuid/nodev/noexec of
// the source in some setups, and keeping them is right anyway.
unsigned long keptFlags(const fs::path& source) {
  struct statvfs st {};
  if (::statvfs(source.c_str(), &st) != 0) return 0;
  unsigned long flags = 0;
  if (st.f_flag & ST_NOSUID) flags |= MS_NOSUID;
  if (st.f_flag & ST_NODEV) flags |= MS_NODEV;
  if (st.f_flag & ST_NOEXEC) flags |= MS_NOEXEC;
  if (st.f_flag & ST_NOATIME) flags |= MS_NOATIME;
  if (st.f_flag & ST_NODIRATIME) flags |= MS_NODIRATIME;
  if (st.f_flag & ST_RELATIME) flags |= MS_RELATIME;
  return flags;
}

class Planner {
 public:
  explicit Planner(fs::path root) { plan_.root = std::move(root); }

  std::string at(const std::string& path) const {
    return (plan_.root / fs::path(path).relative_path()).string();
  }
  void op(MountOp::Kind kind, const std::string& target, std::string source = {},
          unsigned long flags = 0, unsigned mode = 0755) {
    plan_.ops.push_back({kind, target, std::move(source), flags, mode});
  }
  // mkdir -p inside the root.
  void dirs(const std::string& path, unsigned mode = 0755) {
    fs::path sofar = "/";
    for (const auto& part : fs::path(path).relative_path()) {
      sofar /= part;
      op(MountOp::Kind::Mkdir, at(sofar.string()), {}, 0, mode);
    }
  }
  void bind(const fs::path& source, const std::string& path, bool readOnly) {
    if (fs::is_directory(source)) {
      dirs(path);
    } else {
      dirs(fs::path(path).parent_path().string());
      op(MountOp::Kind::Touch, at(path));
    }
    op(MountOp::Kind::Bind, at(path), source.string(), MS_BIND | MS_REC);
    if (readOnly) op(MountOp::Kind::ReadOnly, at(path), {}, keptFlags(source));
  }
  void tmpfs(const std::string& path, std::string options, unsigned long flags) {
    dirs(path);
    op(MountOp::Kind::Tmpfs, at(path), std::move(options), flags);
  }
  PodRootPlan take() { return std::move(plan_); }

 private:
  PodRootPlan plan_;
};

// `sub` must stay inside its volume: no absolute paths, no "..".
bool safeSubPath(const fs::path& sub) {
  if (sub.is_absolute()) return false;
  return std::none_of(sub.begin(), sub.end(), [](const fs::path& p) { return p == ".."; });
}

}  // namespace

std::string MountOp::describe() const {
  switch (kind) {
    case Kind::MakePrivate:
      return "make / private";
    case Kind::Mkdir:
      return "mkdir " + target;
    case Kind::Touch:
      return "create mount point " + target;
    case Kind::Symlink:
      return "symlink " + target + " -> " + source;
    case Kind::Bind:
      return "bind " + source + " at " + target;
    case Kind::ReadOnly:
      return "remount read-only " + target;
    case Kind::Tmpfs:
      return "mount tmpfs at " + target;
    case Kind::Proc:
      return "mount proc at " + target;
  }
  return "?";
}

Result<PodRootPlan> planPodRoot(const PodRootInput& input) {
  Planner p(input.rootDir);
  const std::string root = input.rootDir.string();
  // Mounts made from here on stay in the container's namespace.
  p.op(MountOp::Kind::MakePrivate, "/", {}, MS_REC | MS_PRIVATE);
  p.op(MountOp::Kind::Tmpfs, root, "mode=0755,size=256m", MS_NOSUID | MS_NODEV);

  // The "image": the host's system directories.
  for (const char* dir :
       {"/usr", "/etc", "/opt", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"}) {
    std::error_code ec;
    const auto status = fs::symlink_status(dir, ec);
    if (ec || !fs::exists(status)) continue;
    if (fs::is_symlink(status)) {
      p.op(MountOp::Kind::Symlink, p.at(dir), fs::read_symlink(dir, ec).string());
    } else if (fs::is_directory(status)) {
      p.bind(dir, dir, true);
    }
  }
  for (const char* dir : {"/root", "/home", "/var", "/var/lib", "/var/log", "/srv", "/mnt"}) {
    p.dirs(dir);
  }
  p.dirs("/var/tmp", 01777);

  p.dirs("/proc");
  p.op(MountOp::Kind::Proc, p.at("/proc"), {}, MS_NOSUID | MS_NODEV | MS_NOEXEC);
  // As container runtimes do: a root process in a pod must not retune the host's kernel.
  for (const char* path : {"/proc/sys", "/proc/sysrq-trigger"}) {
    if (!fs::exists(path)) continue;  // the same kernel: what the host lacks, the pod does
    p.op(MountOp::Kind::Bind, p.at(path), p.at(path), MS_BIND | MS_REC);
    p.op(MountOp::Kind::ReadOnly, p.at(path), {}, MS_NOSUID | MS_NODEV | MS_NOEXEC);
  }
  p.bind("/sys", "/sys", true);

  p.tmpfs("/dev", "mode=0755,size=64k", MS_NOSUID);
  for (const char* dev : {"null", "zero", "full", "random", "urandom", "tty"}) {
    const std::string path = std::string("/dev/") + dev;
    if (fs::exists(path)) p.bind(path, path, false);
  }
  p.op(MountOp::Kind::Symlink, p.at("/dev/fd"), "/proc/self/fd");
  p.op(MountOp::Kind::Symlink, p.at("/dev/stdin"), "/proc/self/fd/0");
  p.op(MountOp::Kind::Symlink, p.at("/dev/stdout"), "/proc/self/fd/1");
  p.op(MountOp::Kind::Symlink, p.at("/dev/stderr"), "/proc/self/fd/2");
  p.tmpfs("/dev/shm", "mode=1777,size=64m", MS_NOSUID | MS_NODEV);
  p.tmpfs("/tmp", "mode=1777,size=256m", MS_NOSUID | MS_NODEV);
  p.tmpfs("/run", "mode=0755,size=16m", MS_NOSUID | MS_NODEV);

  p.bind(input.hostsFile, "/etc/hosts", true);

  // Volumes, parents before children (a mount at /a/b must come after one at /a).
  std::vector<Json> mounts;
  if (input.container.contains("volumeMounts")) {
    for (const auto& m : input.container["volumeMounts"]) mounts.push_back(m);
  }
  auto depth = [](const Json& m) {
    const fs::path path(m.value("mountPath", ""));
    return std::distance(path.begin(), path.end());
  };
  std::stable_sort(mounts.begin(), mounts.end(),
                   [&](const Json& a, const Json& b) { return depth(a) < depth(b); });
  for (const auto& m : mounts) {
    const auto name = m.value("name", "");
    const auto mountPath = m.value("mountPath", "");
    const std::string step = "volumeMount " + name + " at " + mountPath;
    auto it = input.volumes.find(name);
    if (it == input.volumes.end()) return specError(step, "no such volume prepared");
    if (mountPath.empty() || mountPath[0] != '/') return specError(step, "mountPath not absolute");
    fs::path source = it->second.hostPath;
    const fs::path sub(m.value("subPath", ""));
    if (!sub.empty()) {
      if (!safeSubPath(sub)) return specError(step, "subPath escapes the volume");
      source /= sub;
      std::error_code ec;
      if (!fs::exists(source) && !it->second.readOnly) fs::create_directories(source, ec);
    }
    if (!fs::exists(source)) return specError(step, source.string() + " does not exist");
    p.bind(source, mountPath, it->second.readOnly || m.value("readOnly", false));
  }
  p.dirs(input.workingDir.empty() ? "/" : input.workingDir);
  return p.take();
}

int applyPodRoot(const PodRootPlan& plan) noexcept {
  for (std::size_t i = 0; i < plan.ops.size(); ++i) {
    const MountOp& op = plan.ops[i];
    const char* target = op.target.c_str();
    int rc = 0;
    switch (op.kind) {
      case MountOp::Kind::MakePrivate:
        rc = ::mount(nullptr, "/", nullptr, op.flags, nullptr);
        break;
      case MountOp::Kind::Mkdir:
        rc = ::mkdir(target, op.mode);
        if (rc != 0 && errno == EEXIST) rc = 0;
        // mkdir applies the umask; sticky dirs like /var/tmp need the exact mode.
        if (rc == 0 && (op.mode & 01000) != 0) rc = ::chmod(target, op.mode);
        break;
      case MountOp::Kind::Touch: {
        const int fd = ::open(target, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
        if (fd >= 0) {
          ::close(fd);
        } else if (errno == EEXIST || errno == EROFS || errno == EISDIR) {
          rc = 0;  // exists already (a file under a read-only bind): fine as a mount point
        } else {
          rc = -1;
        }
        break;
      }
      case MountOp::Kind::Symlink:
        rc = ::symlink(op.source.c_str(), target);
        if (rc != 0 && errno == EEXIST) rc = 0;
        break;
      case MountOp::Kind::Bind:
        rc = ::mount(op.source.c_str(), target, nullptr, op.flags, nullptr);
        break;
      case MountOp::Kind::ReadOnly:
        rc =
            ::mount(nullptr, target, nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY | op.flags, nullptr);
        break;
      case MountOp::Kind::Tmpfs:
        rc = ::mount("tmpfs", target, "tmpfs", op.flags, op.source.c_str());
        break;
      case MountOp::Kind::Proc:
        rc = ::mount("proc", target, "proc", op.flags, nullptr);
        break;
    }
    if (rc != 0) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace zkop::sandbox::kubelet
