#include "e2e/kubelet/container_logs.h"

#include <algorithm>
#include <string>
#include <vector>

namespace zkop::sandbox::kubelet {
namespace fs = std::filesystem;
namespace {

std::vector<int> runs(const fs::path& dir) {
  std::vector<int> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const auto name = entry.path().filename().string();
    if (!name.ends_with(".log")) continue;
    const auto stem = name.substr(0, name.size() - 4);
    if (stem.empty() || stem.find_first_not_of("0123456789") != std::string::npos) continue;
    out.push_back(std::stoi(stem));
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

fs::path ContainerLogs::run(int restartCount) const {
  return dir_ / (std::to_string(restartCount) + ".log");
}

fs::path ContainerLogs::beginRun(int restartCount) const {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  for (int old : runs(dir_)) {
    if (old < restartCount - 1) fs::remove(run(old), ec);
  }
  return run(restartCount);
}

std::optional<fs::path> ContainerLogs::latest(bool previous) const {
  const auto all = runs(dir_);
  const std::size_t wanted = previous ? 2 : 1;
  if (all.size() < wanted) return std::nullopt;
  return run(all[all.size() - wanted]);
}

}  // namespace zkop::sandbox::kubelet
