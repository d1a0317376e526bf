#pragma once

// The sandbox's name service: one hosts-format file, kept current, that
//  - every pod sees as its /etc/hosts (bind-mounted read-only by PodRoot), and
//  - the host side uses too: the JVM with -Djdk.net.hosts.file=<path>, tests and tools
//    that read it directly (glibc on the host keeps using the host's /etc/hosts).
// Lines: localhost, then per pod with a subdomain
//   <ip> <hostname>.<subdomain>.<ns>.svc.<domain> <hostname>
// (a pod without a subdomain gets `<ip> <hostname>`), then per Service name one line per
// backing pod IP: `<ip> <svc>.<ns>.svc.<domain>`.
//
// The file is rewritten in place (same inode), because a bind mount pins the inode: a
// rename-over would leave running pods with the old file. A reader racing a rewrite can
// see a torn file for a moment; resolvers retry, and entries are sorted so most updates
// change little.
//
// Thread-safe (one mutex).

#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "e2e/kubelet/kubelet_error.h"

namespace zkop::sandbox::kubelet {

struct PodHostEntry {
  std::string ip;
  std::string hostname;   // spec.hostname or metadata.name
  std::string subdomain;  // spec.subdomain (the headless Service), may be empty
  std::string ns;
};

class HostsFile {
 public:
  explicit HostsFile(std::filesystem::path path, std::string clusterDomain = "cluster.local");

  const std::filesystem::path& path() const { return path_; }

  // Creates the file (with the localhost lines) so that pods can bind it before any entry.
  Result<void> create();

  // `key` identifies the pod (its uid or ns/name). Setting writes the file.
  Result<void> setPod(const std::string& key, const PodHostEntry& entry);
  Result<void> removePod(const std::string& key);
  Result<void> setService(const std::string& ns, const std::string& name,
                          std::vector<std::string> ips);
  Result<void> removeService(const std::string& ns, const std::string& name);

  // The file's content for the current entries (pure; also what tests compare).
  std::string render() const;

 private:
  std::string renderLocked() const;
  Result<void> writeLocked() const;

  std::filesystem::path path_;
  std::string domain_;
  mutable std::mutex mutex_;
  std::map<std::string, PodHostEntry> pods_;
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> services_;
};

}  // namespace zkop::sandbox::kubelet
