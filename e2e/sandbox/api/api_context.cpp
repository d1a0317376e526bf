#include "e2e/sandbox/api/api_context.h"

#include <cstdio>

namespace zkop::sandbox {

using nlohmann::json;

ApiContext::ApiContext(const Clock& clock, ApiOptions options)
    : clock_(clock),
      options_(options),
      store_(options.history_capacity),
      random_(options.random_seed != 0 ? options.random_seed : std::random_device{}()) {}

std::string ApiContext::new_uid() {
  std::uniform_int_distribution<unsigned> byte(0, 255);
  unsigned char b[16];
  for (auto& x : b) x = static_cast<unsigned char>(byte(random_));
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  char out[37];
  std::snprintf(out, sizeof out,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                b[15]);
  return out;
}

std::string ApiContext::random_suffix() {
  static constexpr std::string_view kAlphabet = "bcdfghjklmnpqrstvwxz2456789";
  std::uniform_int_distribution<std::size_t> pick(0, kAlphabet.size() - 1);
  std::string s;
  for (int i = 0; i < 5; ++i) s += kAlphabet[pick(random_)];
  return s;
}

std::string ApiContext::next_cluster_ip() {
  // 10.96.0.0/12 as kubeadm's default; allocation is random like the real allocator, with
  // collisions avoided by checking the stored Services.
  std::uniform_int_distribution<unsigned> host(2, (1u << 20) - 2);
  while (true) {
    const unsigned h = host(random_);
    const std::string ip = "10." + std::to_string(96 + (h >> 16)) + "." +
                           std::to_string((h >> 8) & 0xff) + "." + std::to_string(h & 0xff);
    bool used = false;
    for (const auto& [key, svc] : store_.list("services", "")) {
      if (svc->contains("spec") && (*svc)["spec"].value("clusterIP", "") == ip) used = true;
    }
    if (!used) return ip;
  }
}

const json& ApiContext::create(const ObjectKey& key, json object) {
  const json& stored = store_.create(key, std::move(object));
  if (key.resource == kCrdStorageKey) sync_crd(key.name, &stored);
  return stored;
}

const json& ApiContext::update(const ObjectKey& key, json object) {
  const json& stored = store_.update(key, std::move(object));
  if (key.resource == kCrdStorageKey) sync_crd(key.name, &stored);
  return stored;
}

json ApiContext::remove(const ObjectKey& key) {
  json removed = store_.remove(key);
  if (key.resource == kCrdStorageKey) sync_crd(key.name, nullptr);
  return removed;
}

void ApiContext::sync_crd(const std::string& name, const json* crd) {
  if (crd != nullptr) {
    registry_.set_custom(name, resource_types_from_crd(*crd));
    return;
  }
  registry_.set_custom(name, {});
  // A CRD is named <plural>.<group>, which is also its instances' storage key. They go with it
  // (a real server empties them before it removes the CRD).
  std::vector<ObjectKey> doomed;
  for (const auto& [key, obj] : store_.list(name, "")) doomed.push_back(key);
  for (const auto& key : doomed) store_.remove(key);
}

void ApiContext::resync_custom_resources() {
  for (const auto& [key, crd] : store_.list(kCrdStorageKey, "")) {
    registry_.set_custom(key.name, resource_types_from_crd(*crd));
  }
}

void ApiContext::bootstrap() {
  for (const char* name : {"default", "kube-system", "kube-public", "kube-node-lease"}) {
    const ObjectKey key{kNamespaceStorageKey, "", name};
    if (store_.get(key) != nullptr) continue;
    json ns = {{"apiVersion", "v1"},
               {"kind", "Namespace"},
               {"metadata",
                {{"name", name},
                 {"uid", new_uid()},
                 {"creationTimestamp", now_rfc3339()},
                 {"labels", {{"kubernetes.io/metadata.name", name}}}}},
               {"spec", {{"finalizers", {"kubernetes"}}}},
               {"status", {{"phase", "Active"}}}};
    store_.create(key, std::move(ns));
  }
}

}  // namespace zkop::sandbox
