#include "operator/zookeeper/digest.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

namespace zkop::zookeeper {

std::string digestCredential(const std::string& user, const std::string& password) {
  const std::string plain = user + ":" + password;
  unsigned char hash[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(plain.data()), plain.size(), hash);
  unsigned char encoded[4 * ((SHA_DIGEST_LENGTH + 2) / 3) + 1];
  const int length = EVP_EncodeBlock(encoded, hash, SHA_DIGEST_LENGTH);
  return user + ":" +
         std::string(reinterpret_cast<const char*>(encoded), static_cast<std::size_t>(length));
}

}  // namespace zkop::zookeeper
