#pragma once

// Where a container's output goes: one file per run, <dir>/<restartCount>.log, so that the
// current run and the previous one (kubectl logs --previous) are both at hand. Older runs
// are removed, as the kubelet keeps only those two.
//
// Thread-safe: no state besides the directory.

#include <filesystem>
#include <optional>

namespace zkop::sandbox::kubelet {

class ContainerLogs {
 public:
  explicit ContainerLogs(std::filesystem::path dir) : dir_(std::move(dir)) {}

  const std::filesystem::path& dir() const { return dir_; }
  // The file of run `restartCount` (created by the container's spawn).
  std::filesystem::path run(int restartCount) const;
  // Prepares the file of run `restartCount` and removes runs older than the previous one.
  std::filesystem::path beginRun(int restartCount) const;
  // The newest run's file, or the one before it; nullopt when there is none.
  std::optional<std::filesystem::path> latest(bool previous) const;

 private:
  std::filesystem::path dir_;
};

}  // namespace zkop::sandbox::kubelet
