#include "operator/zookeeper/digest.h"

#include <gtest/gtest.h>

namespace zkop::zookeeper {
namespace {

TEST(Digest, MatchesZooKeepersDigestAuthenticationProvider) {
  // base64(sha1("super:secret")), as ZooKeeper's own
  // `java org.apache.zookeeper.server.auth.DigestAuthenticationProvider super:secret` prints it.
  EXPECT_EQ(digestCredential("super", "secret"), "super:lK75jTNcA+U9vtVEw5vB51mj/w4=");
}

}  // namespace
}  // namespace zkop::zookeeper
