#pragma once

// A zkop-sandbox process for one end-to-end test: its own state dir (build/test-tmp/
// sandbox_node/<name>) and its own port, the real kubectl pointed at its kubeconfig, and a
// description of what it saw (pods, statefulsets, pod events and log tails, the sandbox's log)
// for failure messages.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <set>
#include <string>

namespace zkop::sandbox::testing {

struct CommandResult {
  int exitCode = -1;
  std::string output;  // stdout and stderr
  bool ok() const { return exitCode == 0; }
};

// Runs `command` with /bin/sh, output captured.
CommandResult run(const std::string& command);
std::string slurp(const std::filesystem::path& file);
// Polls `ready` every 250 ms until it holds or `timeout` passes.
bool waitFor(const std::function<bool()>& ready, std::chrono::seconds timeout);
// Host PIDs whose command line contains `token`.
std::set<int> processesWith(const std::string& token);

class SandboxProcess {
 public:
  explicit SandboxProcess(const std::string& name);
  // SIGTERM and wait (SIGKILL after 60 s).
  ~SandboxProcess();
  SandboxProcess(const SandboxProcess&) = delete;
  SandboxProcess& operator=(const SandboxProcess&) = delete;

  // Starts `zkop-sandbox up` and waits for its kubeconfig; false (with the log) on failure.
  bool start(std::string& whyNot);
  // Sends `signal` and reaps the process.
  void stop(int signal);
  pid_t pid() const { return pid_; }
  const std::filesystem::path& dir() const { return dir_; }

  CommandResult kubectl(const std::string& args) const;
  // kubectl apply -f of `yaml` (written to a file of the state dir).
  CommandResult apply(const std::string& yaml) const;
  // The output of `kubectl get <args> -o jsonpath=<path>`, empty on failure.
  std::string jsonpath(const std::string& args, const std::string& path) const;

  // Pods, statefulsets, each pod's events and last log lines, the sandbox's last log lines.
  std::string describe() const;

 private:
  std::filesystem::path dir_;
  pid_t pid_ = -1;
};

}  // namespace zkop::sandbox::testing
