#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <shared_mutex>
#include <string>
#include <vector>

namespace zkop::runtime {

using ObjectPtr = std::shared_ptr<const nlohmann::json>;

// An informer's local cache: objects by "namespace/name", indexed by namespace and by the UIDs
// in their ownerReferences. Objects are immutable once stored (shared_ptr to const), so a
// reader keeps a consistent object even while the informer replaces it.
//
// Thread-safety: any number of concurrent readers; writes (only the informer's thread) are
// exclusive. replace() builds the new indexes outside the lock and swaps them in one step, so
// a reader sees the old list or the new one, never a mix.
class Store {
 public:
  ObjectPtr get(const std::string& key) const;
  std::vector<ObjectPtr> list() const;
  std::vector<ObjectPtr> listNamespace(const std::string& ns) const;
  // Objects that have an ownerReference with this UID.
  std::vector<ObjectPtr> byOwner(const std::string& owner_uid) const;
  std::vector<std::string> keys() const;
  size_t size() const;

  // Informer side. Return the previous object at the key (null if none).
  ObjectPtr upsert(nlohmann::json object);
  ObjectPtr erase(const std::string& key);
  // Replaces everything; returns the previous contents.
  std::map<std::string, ObjectPtr> replace(std::vector<nlohmann::json> objects);

 private:
  struct Indexes {
    std::map<std::string, ObjectPtr> by_key;
    std::multimap<std::string, std::string> by_owner;      // owner uid → key
    std::multimap<std::string, std::string> by_namespace;  // namespace → key
  };
  static void index(Indexes& ix, const std::string& key, const ObjectPtr& object);
  static void unindex(Indexes& ix, const std::string& key, const ObjectPtr& object);

  mutable std::shared_mutex mutex_;
  Indexes ix_;
};

}  // namespace zkop::runtime
