#include "e2e/sandbox/store/object_store.h"

#include <algorithm>

namespace zkop::sandbox {

using nlohmann::json;

namespace {
std::string uid_of(const json& object) {
  if (!object.is_object() || !object.contains("metadata")) return {};
  const json& meta = object.at("metadata");
  if (!meta.is_object() || !meta.contains("uid")) return {};
  const json& uid = meta.at("uid");
  return uid.is_string() ? uid.get_ref<const std::string&>() : std::string();
}
}  // namespace

const json* ObjectStore::get(const ObjectKey& key) const {
  const auto it = objects_.find(key);
  return it == objects_.end() ? nullptr : &it->second;
}

std::vector<std::pair<ObjectKey, const json*>> ObjectStore::list(std::string_view resource,
                                                                 std::string_view ns) const {
  std::vector<std::pair<ObjectKey, const json*>> out;
  ObjectKey first{std::string(resource), std::string(ns), ""};
  for (auto it = objects_.lower_bound(first); it != objects_.end(); ++it) {
    if (it->first.resource != resource) break;
    if (!ns.empty() && it->first.ns != ns) break;
    out.emplace_back(it->first, &it->second);
  }
  return out;
}

std::optional<ObjectKey> ObjectStore::find_uid(std::string_view uid) const {
  const auto it = by_uid_.find(uid);
  if (it == by_uid_.end()) return std::nullopt;
  return it->second;
}

const json& ObjectStore::create(const ObjectKey& key, json object) {
  object["metadata"]["resourceVersion"] = std::to_string(++version_);
  const std::string uid = uid_of(object);
  auto [it, inserted] = objects_.insert_or_assign(key, std::move(object));
  if (!uid.empty()) by_uid_.insert_or_assign(uid, key);
  record(EventType::Added, key, it->second, nullptr);
  return it->second;
}

const json& ObjectStore::update(const ObjectKey& key, json object) {
  object["metadata"]["resourceVersion"] = std::to_string(++version_);
  json& slot = objects_.at(key);
  json previous = std::exchange(slot, std::move(object));
  record(EventType::Modified, key, slot, std::move(previous));
  return slot;
}

json ObjectStore::remove(const ObjectKey& key) {
  auto node = objects_.extract(key);
  json object = std::move(node.mapped());
  by_uid_.erase(uid_of(object));
  json previous = object;
  // A DELETED event carries the object at a new version, so watchers can resume after it.
  object["metadata"]["resourceVersion"] = std::to_string(++version_);
  record(EventType::Deleted, key, object, std::move(previous));
  return object;
}

std::shared_ptr<WatchChannel> ObjectStore::subscribe() {
  std::erase_if(channels_, [](const auto& weak) { return weak.expired(); });
  auto channel = std::make_shared<WatchChannel>(version_);
  channels_.push_back(channel);
  return channel;
}

void ObjectStore::close_watches() {
  for (auto& weak : channels_) {
    if (auto channel = weak.lock()) channel->close();
  }
  channels_.clear();
}

void ObjectStore::record(EventType type, const ObjectKey& key, const json& object, json previous) {
  auto event = std::make_shared<const WatchEvent>(
      WatchEvent{type, version_, key, object, std::move(previous)});
  history_.append(event);
  for (auto& weak : channels_) {
    if (auto channel = weak.lock()) channel->push(event);
  }
}

json ObjectStore::snapshot() const {
  json objects = json::array();
  for (const auto& [key, object] : objects_) {
    objects.push_back({{"resource", key.resource}, {"object", object}});
  }
  return {{"resourceVersion", version_}, {"objects", std::move(objects)}};
}

void ObjectStore::restore(const json& snapshot) {
  objects_.clear();
  by_uid_.clear();
  version_ = snapshot.value("resourceVersion", std::uint64_t{0});
  for (const json& entry : snapshot.value("objects", json::array())) {
    const json& object = entry["object"];
    const json& meta = object["metadata"];
    ObjectKey key{entry["resource"].get<std::string>(), meta.value("namespace", ""),
                  meta.value("name", "")};
    const std::string uid = uid_of(object);
    objects_.insert_or_assign(key, object);
    if (!uid.empty()) by_uid_.insert_or_assign(uid, key);
  }
  history_.compact(version_);
}

}  // namespace zkop::sandbox
