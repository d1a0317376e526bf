#include "e2e/sandbox/store/watch_history.h"

#include <gtest/gtest.h>

#include "e2e/sandbox/store/object_store.h"

namespace zkop::sandbox {
namespace {

EventPtr event(std::uint64_t rv) {
  return std::make_shared<const WatchEvent>(
      WatchEvent{EventType::Added, rv, {"pods", "ns", "p"}, {}, nullptr});
}

TEST(WatchHistory, KeepsABoundedWindow) {
  WatchHistory history(3);
  for (std::uint64_t rv = 1; rv <= 5; ++rv) history.append(event(rv));
  EXPECT_EQ(history.size(), 3u);
  EXPECT_EQ(history.compacted(), 2u);
  EXPECT_FALSE(history.since(1).has_value());
  const auto from2 = history.since(2);
  ASSERT_TRUE(from2.has_value());
  ASSERT_EQ(from2->size(), 3u);
  EXPECT_EQ(from2->front()->resource_version, 3u);
  EXPECT_TRUE(history.since(5)->empty());
}

TEST(WatchHistory, CompactForgetsEverything) {
  WatchHistory history(10);
  for (std::uint64_t rv = 1; rv <= 4; ++rv) history.append(event(rv));
  history.compact(4);
  EXPECT_FALSE(history.since(3).has_value());
  EXPECT_TRUE(history.since(4)->empty());
}

TEST(ObjectStore, EveryWriteAdvancesTheVersionAndNotifiesWatchers) {
  ObjectStore store(10);
  auto channel = store.subscribe();
  const ObjectKey key{"configmaps", "default", "a"};
  store.create(key, {{"metadata", {{"name", "a"}, {"uid", "u1"}}}});
  store.update(key, {{"metadata", {{"name", "a"}, {"uid", "u1"}}}, {"data", {{"k", "v"}}}});
  const auto removed = store.remove(key);
  EXPECT_EQ(removed["metadata"]["resourceVersion"], "3");
  EXPECT_FALSE(store.find_uid("u1").has_value());
  const auto batch = channel->wait(std::chrono::milliseconds(0));
  ASSERT_EQ(batch.events.size(), 3u);
  EXPECT_EQ(batch.events[1]->type, EventType::Modified);
  EXPECT_EQ(batch.events[1]->previous["metadata"]["resourceVersion"], "1");
  EXPECT_EQ(batch.latest, 3u);
  store.close_watches();
  EXPECT_TRUE(channel->wait(std::chrono::milliseconds(0)).closed);
}

TEST(ObjectStore, SnapshotRestoresObjectsAndExpiresHistory) {
  ObjectStore a(10);
  a.create({"configmaps", "default", "a"},
           {{"metadata", {{"name", "a"}, {"namespace", "default"}, {"uid", "u"}}}});
  ObjectStore b(10);
  b.restore(a.snapshot());
  EXPECT_EQ(b.resource_version(), 1u);
  ASSERT_NE(b.get({"configmaps", "default", "a"}), nullptr);
  EXPECT_TRUE(b.find_uid("u").has_value());
  EXPECT_FALSE(b.history().since(0).has_value());
}

}  // namespace
}  // namespace zkop::sandbox
