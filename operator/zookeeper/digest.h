#pragma once

#include <string>

namespace zkop::zookeeper {

// ZooKeeper's digest credential for `user:password`: "user:" + base64(sha1("user:password")),
// the form `-Dzookeeper.DigestAuthenticationProvider.superDigest` and digest ACLs take.
std::string digestCredential(const std::string& user, const std::string& password);

}  // namespace zkop::zookeeper
