#include "e2e/kubelet/faults.h"

namespace zkop::sandbox::kubelet {
namespace fs = std::filesystem;

Result<void> wipeDirectoryContents(const fs::path& dir) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    fs::remove_all(entry.path(), ec);
    if (ec) return specError("wipe " + entry.path().string(), ec.message());
  }
  if (ec) return specError("wipe " + dir.string(), ec.message());
  return {};
}

}  // namespace zkop::sandbox::kubelet
