#pragma once

#include <filesystem>
#include <string>

namespace zkop::sandbox {

struct KubeconfigSpec {
  std::string server;  // https://127.0.0.1:PORT or http://…
  std::string ca_pem;  // empty for plain HTTP
  std::string token;
  std::string name = "zkop-sandbox";
  std::string ns = "default";
};

std::string render_kubeconfig(const KubeconfigSpec& spec);

// Written to a temporary file and renamed, so a reader never sees half a kubeconfig; its
// appearance is the signal that the API serves.
void write_file_atomically(const std::filesystem::path& path, const std::string& content);

}  // namespace zkop::sandbox
