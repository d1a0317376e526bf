#pragma once

#include <memory>
#include <string>

#include "operator/runtime/error.h"

namespace zkop::runtime {

// Where the Authorization header comes from. A source may change its answer over time: a
// service-account token file is rotated by the kubelet, an exec plugin's token expires.
//
// Thread-safety: implementations are safe to call from any thread.
class CredentialSource {
 public:
  virtual ~CredentialSource() = default;
  // The full header value ("Bearer …" or "Basic …"), or an error that explains why none is
  // available (unreadable token file, failing exec plugin).
  virtual Result<std::string> authorizationHeader() = 0;
  // The server rejected the credentials (401): drop anything cached so the next call fetches
  // fresh ones (an exec plugin runs again).
  virtual void invalidate() {}
};

struct TlsConfig {
  std::string ca_pem;           // trusted roots; empty means the system's
  std::string client_cert_pem;  // client certificate chain, with client_key_pem
  std::string client_key_pem;
  bool insecure_skip_verify = false;
  std::string server_name;  // SNI / verification name override (tls-server-name)
};

// Everything needed to talk to one API server, whatever the source (kubeconfig or in-cluster).
struct RestConfig {
  std::string server;  // "https://host:port", no trailing slash
  TlsConfig tls;
  std::shared_ptr<CredentialSource> credentials;  // may be null: anonymous / client cert only
  std::string namespace_name = "default";         // the context's or the pod's namespace
  std::string user_agent = "zkop";
  std::string source;  // where this came from, for logs ("kubeconfig /x (context c)")
};

}  // namespace zkop::runtime
