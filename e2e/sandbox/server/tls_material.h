#pragma once

#include <filesystem>
#include <string>

namespace zkop::sandbox {

// The sandbox's own certificate authority and the serving certificate it signs (for 127.0.0.1
// and localhost), PEM-encoded.
struct TlsMaterial {
  std::string ca_cert_pem;
  std::string server_cert_pem;
  std::string server_key_pem;
};

// A fresh CA and serving certificate (ECDSA P-256, SHA-256).
TlsMaterial generate_tls_material();

// Reuses the material in `dir` (ca.crt, server.crt, server.key) so that a kubeconfig stays valid
// across `down`/`up`, or generates and stores it.
TlsMaterial load_or_create_tls_material(const std::filesystem::path& dir);

// A random bearer token (hex), reused from `dir`/token when present.
std::string load_or_create_token(const std::filesystem::path& dir);

}  // namespace zkop::sandbox
