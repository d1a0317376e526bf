#include "e2e/kubelet/hosts_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <set>

#include "e2e/kubelet/unique_fd.h"

namespace zkop::sandbox::kubelet {

HostsFile::HostsFile(std::filesystem::path path, std::string clusterDomain)
    : path_(std::move(path)), domain_(std::move(clusterDomain)) {}

Result<void> HostsFile::create() {
  std::lock_guard lock(mutex_);
  return writeLocked();
}

Result<void> HostsFile::setPod(const std::string& key, const PodHostEntry& entry) {
  std::lock_guard lock(mutex_);
  pods_[key] = entry;
  return writeLocked();
}

Result<void> HostsFile::removePod(const std::string& key) {
  std::lock_guard lock(mutex_);
  pods_.erase(key);
  return writeLocked();
}

Result<void> HostsFile::setService(const std::string& ns, const std::string& name,
                                   std::vector<std::string> ips) {
  std::lock_guard lock(mutex_);
  std::sort(ips.begin(), ips.end());
  services_[{ns, name}] = std::move(ips);
  return writeLocked();
}

Result<void> HostsFile::removeService(const std::string& ns, const std::string& name) {
  std::lock_guard lock(mutex_);
  services_.erase({ns, name});
  return writeLocked();
}

std::string HostsFile::render() const {
  std::lock_guard lock(mutex_);
  return renderLocked();
}

std::string HostsFile::renderLocked() const {
  std::string out =
      "# Kubernetes-managed hosts file (zkop sandbox kubelet).\n"
      "127.0.0.1\tlocalhost\n"
      "::1\tlocalhost ip6-localhost ip6-loopback\n";
  // Sorted by name, not by key, so the file reads like a directory of the pods.
  std::set<std::pair<std::string, std::string>> lines;
  for (const auto& [key, pod] : pods_) {
    if (pod.ip.empty() || pod.hostname.empty()) continue;
    std::string names = pod.hostname;
    if (!pod.subdomain.empty()) {
      names = pod.hostname + "." + pod.subdomain + "." + pod.ns + ".svc." + domain_ + "\t" +
              pod.hostname;
    }
    lines.insert({names, pod.ip});
  }
  for (const auto& [line, ip] : lines) out += ip + "\t" + line + "\n";
  for (const auto& [id, ips] : services_) {
    for (const auto& ip : ips) {
      out += ip + "\t" + id.second + "." + id.first + ".svc." + domain_ + "\n";
    }
  }
  return out;
}

Result<void> HostsFile::writeLocked() const {
  const std::string content = renderLocked();
  UniqueFd fd(::open(path_.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
  if (!fd) return sysError("open " + path_.string());
  // Write first, truncate after: a reader sees either old or new lines followed by at most
  // a stale tail, never an empty file.
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n =
        ::pwrite(fd.get(), content.data() + done, content.size() - done, static_cast<off_t>(done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return sysError("write " + path_.string());
    }
    done += static_cast<std::size_t>(n);
  }
  if (::ftruncate(fd.get(), static_cast<off_t>(content.size())) != 0) {
    return sysError("truncate " + path_.string());
  }
  return {};
}

}  // namespace zkop::sandbox::kubelet
