#pragma once

// The super user zkop authenticates as for `reconfig` (digest auth, not skipACL). The
// Secret named by spec.security.superUserSecret holds `password` (for zkop) and `digest`
// (what the servers' -Dzookeeper.DigestAuthenticationProvider.superDigest takes, mounted
// as ZKOP_SUPER_DIGEST). zkop creates it with a random password when it does not exist.

#include <expected>
#include <functional>
#include <string>

#include "controllers/api/cluster_types.h"
#include "operator/runtime/client.h"
#include "operator/runtime/controller.h"

namespace zkop::reconciler {

struct SuperUserCredentials {
  std::string user = "super";
  std::string password;
};

// Reads the Secret, creating it first when it is missing. A Secret without a password is
// an error (a user-supplied Secret must carry both keys).
std::expected<SuperUserCredentials, runtime::ReconcileError> ensureSuperUserSecret(
    runtime::Client& client, const api::ZookeeperCluster& cluster);

// The Secret zkop creates (exposed for tests).
Json renderSuperUserSecret(const api::ZookeeperCluster& cluster, const std::string& password);

// A random password: 32 characters of [A-Za-z0-9].
std::string randomPassword();

}  // namespace zkop::reconciler
