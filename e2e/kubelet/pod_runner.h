#pragma once

// PodRunner: runs one pod's containers as real processes, supervises them and reports the
// pod's status, the way a kubelet does for a pod bound to its node. It knows nothing about
// the API server: the caller hands it the Pod object, the volumes it prepared and a lookup
// for ConfigMap/Secret data, and writes status() back.
//
// What the caller does, per pod:
//   1. ip = addresses.allocate(uid); hosts.setPod(uid, {ip, hostname, subdomain, ns}).
//   2. Prepare each volume of spec.volumes under the state dir: configMap/secret/
//      downwardAPI files with writeProjectedFiles (readOnly = true), an emptyDir as a fresh
//      directory, a PVC as its persistent directory (PVC dirs outlive pods).
//   3. PodRunner runner(Config{}.withPodDir(...).withHostsFile(hosts.path()).withPodIP(ip));
//      runner.start(pod, volumes, lookup); then publish runner.status().toJson() whenever
//      onStatusChange fires (or poll status()).
//   4. On deletion: runner.stop(gracePeriod) (blocks: preStop, SIGTERM, grace, SIGKILL),
//      then hosts.removePod(uid), addresses.release(uid), remove emptyDirs.
// A restarted container keeps the pod's IP; a new pod (new uid) gets a new one.
//
// Per container: env and command resolved at each start ($(VAR) expanded), a fresh root
// (PodRoot), its own mount/UTS/PID namespaces, the user of its securityContext; logs per
// run (logFile(name, previous)); startup, liveness and readiness probes as Kubernetes
// runs them; restartPolicy Always/OnFailure/Never with back-off (Config::backoff).
//
// Threads: one supervisor thread per runner forks the containers and owns them (the
// containers' parent-death signal is tied to it), probes run on short-lived detached
// threads. Every public method is thread-safe. onStatusChange and the DataLookup are
// called from the supervisor thread: they must not call stop() or destroy the runner
// (status(), kill(), freeze() are fine); the lookup must not block for long.
// The process must not reap children it did not fork (no waitpid(-1), no SIGCHLD
// SIG_IGN).

#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "e2e/kubelet/env_resolver.h"
#include "e2e/kubelet/kubelet_error.h"
#include "e2e/kubelet/pod_root.h"
#include "e2e/kubelet/pod_status.h"
#include "e2e/kubelet/restart_backoff.h"

namespace zkop::sandbox::kubelet {

class PodRunner {
 public:
  struct Config {
    std::filesystem::path podDir;     // this pod's dir under the state dir (created)
    std::filesystem::path hostsFile;  // bound over /etc/hosts in every container
    std::string podIP;
    std::string hostIP = "127.0.0.1";
    std::string nodeName = "sandbox";
    BackoffPolicy backoff;
    // The supervisor's polling period: reaping, probe scheduling and kill deadlines are
    // this precise.
    std::chrono::milliseconds tick{50};
    std::function<void(const PodStatus&)> onStatusChange;

    Config& withPodDir(std::filesystem::path v) {
      podDir = std::move(v);
      return *this;
    }
    Config& withHostsFile(std::filesystem::path v) {
      hostsFile = std::move(v);
      return *this;
    }
    Config& withPodIP(std::string v) {
      podIP = std::move(v);
      return *this;
    }
    Config& withNodeName(std::string v) {
      nodeName = std::move(v);
      return *this;
    }
    Config& withBackoff(BackoffPolicy v) {
      backoff = v;
      return *this;
    }
    Config& withStatusCallback(std::function<void(const PodStatus&)> v) {
      onStatusChange = std::move(v);
      return *this;
    }
  };

  explicit PodRunner(Config config);
  // Kills every container at once (no grace) and waits until they are gone.
  ~PodRunner();
  PodRunner(const PodRunner&) = delete;
  PodRunner& operator=(const PodRunner&) = delete;

  // `pod`: the Pod object (metadata: name, namespace, uid; spec). Validates what can be
  // validated up front (probes, volume names) and starts supervising; containers start
  // asynchronously (watch status()). Only once per runner.
  Result<void> start(nlohmann::json pod, VolumeMap volumes, DataLookup lookup = {});

  // Terminates the pod: preStop hooks, SIGTERM, `grace` (default: the pod's
  // terminationGracePeriodSeconds), SIGKILL. Blocks until every container is gone.
  PodStatus stop(std::optional<std::chrono::seconds> grace = std::nullopt);

  PodStatus status() const;
  bool ready() const { return status().ready; }
  const std::string& podIP() const { return config_.podIP; }

  // Faults. kill: SIGKILL a container (all when `container` is empty); it is restarted per
  // restartPolicy, like a crash. freeze/thaw: SIGSTOP/SIGCONT every container's process
  // group (probes then fail by timeout, as with a hung server).
  Result<void> kill(const std::string& container = {});
  Result<void> freeze();
  Result<void> thaw();

  // The log of the current run, or of the previous one (kubectl logs [--previous]).
  std::optional<std::filesystem::path> logFile(const std::string& container,
                                               bool previous = false) const;
  // What happened, oldest first ("Started container zookeeper", "Liveness probe failed:
  // ..."), also appended to <podDir>/events.log.
  std::vector<std::string> events() const;

 private:
  struct Container;
  struct ProbeRun;

  void supervise();
  void step(Container& c, std::chrono::steady_clock::time_point now);
  void startContainer(Container& c, std::chrono::steady_clock::time_point now);
  void onExit(Container& c, int exitCode, int signal, std::chrono::steady_clock::time_point now);
  void beginKill(Container& c, const std::string& reason, std::chrono::seconds grace,
                 std::chrono::steady_clock::time_point now);
  void runProbes(Container& c, std::chrono::steady_clock::time_point now);
  PodStatus statusLocked() const;
  void event(const std::string& what);
  std::chrono::seconds podGrace() const;

  Config config_;
  nlohmann::json pod_;
  VolumeMap volumes_;
  DataLookup lookup_;
  std::string restartPolicy_ = "Always";

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<std::unique_ptr<Container>> containers_;
  std::optional<WallTime> startTime_;
  bool stopRequested_ = false;
  bool stopping_ = false;
  std::optional<std::chrono::seconds> stopGrace_;
  std::deque<std::string> events_;
  // Condition transition times: type -> (status, since).
  mutable std::map<std::string, std::pair<bool, WallTime>> conditionSince_;
  std::mutex joinMutex_;
  std::thread supervisor_;
};

}  // namespace zkop::sandbox::kubelet
