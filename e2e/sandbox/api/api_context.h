#pragma once

#include <cstddef>
#include <random>
#include <string>

#include <nlohmann/json.hpp>

#include "e2e/sandbox/api/clock.h"
#include "e2e/sandbox/api/resource_registry.h"
#include "e2e/sandbox/store/object_store.h"

namespace zkop::sandbox {

inline constexpr const char* kCrdStorageKey = "customresourcedefinitions.apiextensions.k8s.io";
inline constexpr const char* kNamespaceStorageKey = "namespaces";

struct ApiOptions {
  std::size_t history_capacity = 1000;
  std::chrono::milliseconds bookmark_interval{std::chrono::seconds(10)};
  std::uint64_t random_seed = 0;  // 0: seeded from the system
  // Where the node agent links each container's log (<ns>/<pod>/<container>[.previous].log),
  // served as pods/log; empty: no logs.
  std::string log_dir;
};

// The state behind every request: storage, what is served, time and randomness. Writes go
// through here so that a CRD's served resources follow its object, as the apiextensions
// controllers of a real server make them do.
class ApiContext {
 public:
  ApiContext(const Clock& clock, ApiOptions options);

  ObjectStore& store() { return store_; }
  const ObjectStore& store() const { return store_; }
  const ResourceRegistry& registry() const { return registry_; }
  const Clock& clock() const { return clock_; }
  const ApiOptions& options() const { return options_; }

  std::string now_rfc3339() const { return format_rfc3339(clock_.now()); }
  std::string new_uid();
  // The 5-character suffix of generateName, from the same alphabet a real server uses.
  std::string random_suffix();
  std::string next_cluster_ip();

  const nlohmann::json& create(const ObjectKey& key, nlohmann::json object);
  const nlohmann::json& update(const ObjectKey& key, nlohmann::json object);
  nlohmann::json remove(const ObjectKey& key);

  // Rebuilds what CRDs serve from stored CRD objects (after a restore).
  void resync_custom_resources();
  // Creates the namespaces a fresh cluster has.
  void bootstrap();

 private:
  void sync_crd(const std::string& name, const nlohmann::json* crd);

  const Clock& clock_;
  ApiOptions options_;
  ObjectStore store_;
  ResourceRegistry registry_;
  std::mt19937_64 random_;
};

}  // namespace zkop::sandbox
