#pragma once

#include <memory>

#include "operator/runtime/http_transport.h"
#include "operator/runtime/rest_config.h"

namespace zkop::runtime {

// The production HttpTransport on cpprestsdk: TLS with the configured CA and client
// certificate, the Authorization header from the config's CredentialSource (fetched per
// request so rotated tokens are picked up; invalidated on 401), per-request timeouts, and
// streams whose lines are read on the caller's thread while cpprestsdk's pool fills the buffer.
//
// Thread-safety: safe for concurrent use.
Result<std::unique_ptr<HttpTransport>> makeCpprestTransport(const RestConfig& config);

}  // namespace zkop::runtime
