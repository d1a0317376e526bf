#include "operator/runtime/store.h"

#include <mutex>

#include "operator/runtime/client.h"

namespace zkop::runtime {

namespace {

std::vector<std::string> ownerUids(const nlohmann::json& object) {
  std::vector<std::string> uids;
  if (!object.is_object() || !object.contains("metadata")) return uids;
  const auto& meta = object["metadata"];
  if (!meta.is_object() || !meta.contains("ownerReferences")) return uids;
  const auto& refs = meta["ownerReferences"];
  if (!refs.is_array()) return uids;
  for (const auto& ref : refs) {
    if (ref.is_object() && ref.contains("uid")) uids.push_back(ref.value("uid", ""));
  }
  return uids;
}

std::string namespaceOf(const nlohmann::json& object) {
  if (!object.is_object() || !object.contains("metadata")) return {};
  const auto& meta = object["metadata"];
  return meta.is_object() ? meta.value("namespace", "") : std::string();
}

void eraseEntry(std::multimap<std::string, std::string>& index, const std::string& from,
                const std::string& key) {
  auto range = index.equal_range(from);
  for (auto it = range.first; it != range.second; ++it) {
    if (it->second == key) {
      index.erase(it);
      return;
    }
  }
}

}  // namespace

void Store::index(Indexes& ix, const std::string& key, const ObjectPtr& object) {
  ix.by_key[key] = object;
  for (const auto& uid : ownerUids(*object)) ix.by_owner.emplace(uid, key);
  ix.by_namespace.emplace(namespaceOf(*object), key);
}

void Store::unindex(Indexes& ix, const std::string& key, const ObjectPtr& object) {
  for (const auto& uid : ownerUids(*object)) eraseEntry(ix.by_owner, uid, key);
  eraseEntry(ix.by_namespace, namespaceOf(*object), key);
  ix.by_key.erase(key);
}

ObjectPtr Store::get(const std::string& key) const {
  std::shared_lock lock(mutex_);
  auto it = ix_.by_key.find(key);
  return it == ix_.by_key.end() ? nullptr : it->second;
}

std::vector<ObjectPtr> Store::list() const {
  std::shared_lock lock(mutex_);
  std::vector<ObjectPtr> out;
  out.reserve(ix_.by_key.size());
  for (const auto& [key, object] : ix_.by_key) out.push_back(object);
  return out;
}

std::vector<ObjectPtr> Store::listNamespace(const std::string& ns) const {
  std::shared_lock lock(mutex_);
  std::vector<ObjectPtr> out;
  auto range = ix_.by_namespace.equal_range(ns);
  for (auto it = range.first; it != range.second; ++it) out.push_back(ix_.by_key.at(it->second));
  return out;
}

std::vector<ObjectPtr> Store::byOwner(const std::string& owner_uid) const {
  std::shared_lock lock(mutex_);
  std::vector<ObjectPtr> out;
  auto range = ix_.by_owner.equal_range(owner_uid);
  for (auto it = range.first; it != range.second; ++it) out.push_back(ix_.by_key.at(it->second));
  return out;
}

std::vector<std::string> Store::keys() const {
  std::shared_lock lock(mutex_);
  std::vector<std::string> out;
  for (const auto& [key, object] : ix_.by_key) out.push_back(key);
  return out;
}

size_t Store::size() const {
  std::shared_lock lock(mutex_);
  return ix_.by_key.size();
}

ObjectPtr Store::upsert(nlohmann::json object) {
  std::string key = objectKey(object);
  auto ptr = std::make_shared<const nlohmann::json>(std::move(object));
  std::unique_lock lock(mutex_);
  ObjectPtr old;
  if (auto it = ix_.by_key.find(key); it != ix_.by_key.end()) {
    old = it->second;
    unindex(ix_, key, old);
  }
  index(ix_, key, ptr);
  return old;
}

ObjectPtr Store::erase(const std::string& key) {
  std::unique_lock lock(mutex_);
  auto it = ix_.by_key.find(key);
  if (it == ix_.by_key.end()) return nullptr;
  ObjectPtr old = it->second;
  unindex(ix_, key, old);
  return old;
}

std::map<std::string, ObjectPtr> Store::replace(std::vector<nlohmann::json> objects) {
  Indexes fresh;
  for (auto& object : objects) {
    std::string key = objectKey(object);
    index(fresh, key, std::make_shared<const nlohmann::json>(std::move(object)));
  }
  std::unique_lock lock(mutex_);
  std::swap(ix_, fresh);
  return std::move(fresh.by_key);
}

}  // namespace zkop::runtime
