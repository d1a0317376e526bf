#pragma once

// Helpers for the kubelet engine's integration tests: a small "sandbox" (state dir, hosts
// file, address block) that runs pods the way the real sandbox will, evidence polling and
// descriptions of what was seen for failure messages.

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "e2e/kubelet/address_allocator.h"
#include "e2e/kubelet/hosts_file.h"
#include "e2e/kubelet/pod_runner.h"

namespace zkop::sandbox::kubelet::testing {

using Json = nlohmann::json;

std::string slurp(const std::filesystem::path& file);
// Polls `ready` (every 100 ms) until it holds or `timeout` passes.
bool waitFor(const std::function<bool()>& ready, std::chrono::seconds timeout);
// Host PIDs whose command line contains `token`.
std::set<int> processesWith(const std::string& token);
// A TCP port nothing listens on, on any address (bound to 0.0.0.0:0, then released).
int freeWildcardPort();
// The host's mount table (to prove pods mounted nothing outside their namespace).
std::string hostMounts();

class MiniSandbox {
 public:
  // A fresh state dir build/test-tmp/kubelet/<name> and its own address block.
  explicit MiniSandbox(const std::string& name);

  const std::filesystem::path& dir() const { return dir_; }
  HostsFile& hosts() { return hosts_; }
  AddressAllocator& addresses() { return addresses_; }
  PodRunner::Config config(const std::string& uid, const std::string& ip) const;

  // Allocates the pod's IP, publishes its host name and starts it.
  std::unique_ptr<PodRunner> run(const Json& pod, VolumeMap volumes, DataLookup lookup = {},
                                 BackoffPolicy backoff = {});
  // Stops it, and removes it from the hosts file and the address block.
  PodStatus remove(std::unique_ptr<PodRunner>& runner, const Json& pod,
                   std::optional<std::chrono::seconds> grace = std::nullopt);
  // A fresh emptyDir for a pod.
  std::filesystem::path emptyDir(const std::string& pod, const std::string& volume) const;

 private:
  std::filesystem::path dir_;
  HostsFile hosts_;
  AddressAllocator addresses_;
};

// Status JSON, events and the tail of every container's current and previous log.
std::string describe(const PodRunner& runner, const Json& pod);

}  // namespace zkop::sandbox::kubelet::testing
