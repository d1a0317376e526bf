#pragma once

// A container's process, and commands run inside a running container (exec probes,
// preStop hooks).
//
// spawn() clones a child into new mount, UTS and PID namespaces. The child applies the
// pod root plan, sets the hostname, chroots, drops to the container's user and execs the
// command with the container's environment; stdout and stderr go to the log file. As PID
// 1 of its own PID namespace, its death takes every process of the container with it,
// and a parent-death signal (SIGKILL) ties it to the kubelet *thread* that spawned it:
// when the sandbox dies, even by SIGKILL, no pod process survives. Callers must therefore
// spawn from a thread that lives as long as the container (PodRunner's supervisor).
//
// Between clone and exec the child runs in a copy of a multithreaded program: it uses only
// syscalls on data prepared before the clone. A failure there is reported through a
// close-on-exec pipe as (operation, errno), so spawn() returns a precise error.
//
// ContainerProcess owns the process: destroying it SIGKILLs the container and reaps it.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "e2e/kubelet/kubelet_error.h"
#include "e2e/kubelet/pod_root.h"

namespace zkop::sandbox::kubelet {

struct Credentials {
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;  // supplementary (fsGroup)
};

struct LaunchSpec {
  PodRootPlan root;
  std::string hostname;
  std::vector<std::string> argv;  // command + args, expanded; argv[0] is looked up in PATH
  std::vector<std::string> env;   // NAME=value
  std::string workingDir = "/";
  std::optional<Credentials> credentials;  // nullopt: root
  std::filesystem::path logFile;           // stdout and stderr, appended
};

struct ExitStatus {
  int exitCode = 0;  // 128 + signal when killed by a signal, as a shell reports it
  int signal = 0;    // 0 when the process exited by itself
};

class ContainerProcess {
 public:
  static Result<ContainerProcess> spawn(const LaunchSpec& spec);

  ContainerProcess() = default;
  ~ContainerProcess();
  ContainerProcess(ContainerProcess&& other) noexcept;
  ContainerProcess& operator=(ContainerProcess&& other) noexcept;
  ContainerProcess(const ContainerProcess&) = delete;
  ContainerProcess& operator=(const ContainerProcess&) = delete;

  // The host PID of the container's init (also its process group id); 0 when none.
  pid_t pid() const { return pid_; }
  bool running() const { return pid_ > 0; }
  // Signals every process of the container's process group (processes that made their
  // own group are reached by SIGKILL through PID 1's death only).
  Result<void> signalGroup(int sig) const;
  // Reaps the container if it has exited; afterwards running() is false.
  std::optional<ExitStatus> poll();
  // SIGKILL and reap (blocking until gone). Returns the exit status unless already reaped.
  std::optional<ExitStatus> killAndReap();

 private:
  explicit ContainerProcess(pid_t pid) : pid_(pid) {}
  pid_t pid_ = 0;
};

struct ExecRequest {
  std::vector<std::string> argv;
  std::vector<std::string> env;
  std::string workingDir = "/";
  std::optional<Credentials> credentials;
};

struct ExecOutcome {
  ExitStatus status;
  bool timedOut = false;
  std::string output;  // stdout and stderr, the first 10 KiB
};

// Runs a command inside the running container `containerPid`: its mount and UTS
// namespaces and its root (not its PID namespace), with the given env and user. Kills the
// command's process group at `timeout`. Safe to call from any thread.
Result<ExecOutcome> execInContainer(pid_t containerPid, const ExecRequest& request,
                                    std::chrono::milliseconds timeout);

}  // namespace zkop::sandbox::kubelet
