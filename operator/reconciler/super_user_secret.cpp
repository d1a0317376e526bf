#include "operator/reconciler/super_user_secret.h"

#include <random>

#include "controllers/render/render.h"
#include "operator/runtime/encoding.h"
#include "operator/runtime/resource.h"
#include "operator/zookeeper/digest.h"

namespace zkop::reconciler {
namespace {

std::string secretName(const api::ZookeeperCluster& cluster) {
  return cluster.spec.security.value_or(api::SecuritySpec{})
      .superUserSecret.value_or(cluster.name() + "-super");
}

}  // namespace

std::string randomPassword() {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::random_device random;
  std::uniform_int_distribution<std::size_t> pick(0, kAlphabet.size() - 1);
  std::string out;
  for (int i = 0; i < 32; ++i) out += kAlphabet[pick(random)];
  return out;
}

Json renderSuperUserSecret(const api::ZookeeperCluster& cluster, const std::string& password) {
  const SuperUserCredentials credentials{.password = password};
  const auto digest = zookeeper::digestCredential(credentials.user, password);
  return {{"apiVersion", "v1"},
          {"kind", "Secret"},
          {"metadata", render::ownedMetadata(cluster, secretName(cluster))},
          {"type", "Opaque"},
          {"data",
           {{"user", runtime::base64Encode(credentials.user)},
            {"password", runtime::base64Encode(password)},
            {"digest", runtime::base64Encode(digest)}}}};
}

std::expected<SuperUserCredentials, runtime::ReconcileError> ensureSuperUserSecret(
    runtime::Client& client, const api::ZookeeperCluster& cluster) {
  namespace res = runtime::resources;
  const auto name = secretName(cluster);
  auto secret = client.get(res::kSecret, cluster.namespace_(), name);
  if (!secret) {
    if (secret.error().category != runtime::ErrorCategory::kNotFound) {
      return std::unexpected(runtime::ReconcileError::from("read Secret " + name, secret.error()));
    }
    secret = client.create(res::kSecret, cluster.namespace_(),
                           renderSuperUserSecret(cluster, randomPassword()));
    if (!secret) {
      return std::unexpected(
          runtime::ReconcileError::from("create Secret " + name, secret.error()));
    }
  }
  const auto data = secret->value("data", Json::object());
  auto decoded = data.contains("password") && data["password"].is_string()
                     ? runtime::base64Decode(data["password"].get<std::string>())
                     : std::nullopt;
  if (!decoded || decoded->empty()) {
    return std::unexpected(
        runtime::ReconcileError{"read Secret " + name,
                                "it has no `password` key (zkop needs `password` and `digest`)",
                                {}});
  }
  SuperUserCredentials out;
  out.password = *decoded;
  if (data.contains("user") && data["user"].is_string()) {
    if (auto user = runtime::base64Decode(data["user"].get<std::string>())) out.user = *user;
  }
  return out;
}

}  // namespace zkop::reconciler
