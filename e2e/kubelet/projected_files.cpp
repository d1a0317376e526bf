#include "e2e/kubelet/projected_files.h"

#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <set>

namespace zkop::sandbox::kubelet {
namespace fs = std::filesystem;

Result<void> writeProjectedFiles(const fs::path& dir,
                                 const std::map<std::string, std::string>& files, unsigned mode) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return specError("create " + dir.string(), ec.message());
  const auto stamp = std::chrono::system_clock::now().time_since_epoch().count();
  const std::string generation = ".." + std::to_string(stamp);
  const fs::path version = dir / generation;
  std::set<std::string> top;
  for (const auto& [key, content] : files) {
    const fs::path rel(key);
    if (rel.is_absolute() || key.find("..") != std::string::npos || rel.empty()) {
      return specError("projected file " + key, "path must be relative, without '..'");
    }
    const fs::path file = version / rel;
    fs::create_directories(file.parent_path(), ec);
    std::ofstream(file, std::ios::binary | std::ios::trunc) << content;
    if (::chmod(file.c_str(), mode) != 0) return sysError("chmod " + file.string());
    top.insert(rel.begin()->string());
  }
  fs::create_directories(version, ec);
  const fs::path tmp = dir / "..data_tmp";
  fs::remove(tmp, ec);
  fs::create_symlink(generation, tmp, ec);
  if (ec) return specError("symlink " + tmp.string(), ec.message());
  const fs::path data = dir / "..data";
  const auto old = fs::is_symlink(data) ? fs::read_symlink(data, ec) : fs::path();
  fs::rename(tmp, data, ec);  // the atomic switch
  if (ec) return specError("rename " + data.string(), ec.message());
  for (const auto& name : top) {
    const fs::path link = dir / name;
    if (!fs::is_symlink(link)) fs::create_symlink(fs::path("..data") / name, link, ec);
  }
  // Keys that disappeared: their stable links now dangle; remove them.
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const auto name = entry.path().filename().string();
    if (name.starts_with("..") || top.contains(name)) continue;
    if (fs::is_symlink(entry.symlink_status())) fs::remove(entry.path(), ec);
  }
  if (!old.empty() && old != generation) fs::remove_all(dir / old, ec);
  return {};
}

}  // namespace zkop::sandbox::kubelet
