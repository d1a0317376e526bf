#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>

namespace zkop::sandbox {

struct UpOptions {
  std::filesystem::path state_dir;
  std::uint16_t port = 0;
  bool insecure_http = false;
  std::size_t history_size = 1000;
  std::chrono::milliseconds bookmark_interval{std::chrono::seconds(10)};
  bool verbose = false;
  // Part 2: the StatefulSet controller and claim binder, and the node agent (kubelet) that
  // runs pods as real processes. Off for API-only use.
  bool controllers = true;
  bool node = true;
};

// Serves until SIGINT/SIGTERM: writes STATE_DIR/kubeconfig once the API answers, snapshots
// the objects to STATE_DIR/state.json while running and on exit, and resumes from it.
int run_up(const UpOptions& options);

// Stops the sandbox serving from `state_dir` and waits until it has exited.
int run_down(const std::filesystem::path& state_dir, std::chrono::seconds timeout);

}  // namespace zkop::sandbox
