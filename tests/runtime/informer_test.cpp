#include "operator/runtime/informer.h"

#include <gtest/gtest.h>

#include <thread>

#include "tests/runtime/fake_clock.h"
#include "tests/runtime/fake_transport.h"

namespace zkop::runtime {
namespace {

using namespace std::chrono_literals;
using testing::FakeClock;
using testing::FakeTransport;

Json pod(const std::string& name, const std::string& rv, const std::string& owner_uid = "") {
  Json p = {{"metadata", {{"name", name}, {"namespace", "ns"}, {"resourceVersion", rv}}}};
  if (!owner_uid.empty()) {
    p["metadata"]["ownerReferences"] = Json::array({{{"apiVersion", "zkop.io/v1alpha1"},
                                                     {"kind", "ZookeeperCluster"},
                                                     {"name", "zk"},
                                                     {"uid", owner_uid},
                                                     {"controller", true}}});
  }
  return p;
}

std::string listBody(const std::vector<Json>& items, const std::string& rv,
                     const std::string& cont = "") {
  Json body = {{"kind", "PodList"}, {"metadata", {{"resourceVersion", rv}}}, {"items", items}};
  if (!cont.empty()) body["metadata"]["continue"] = cont;
  return body.dump();
}

Result<std::optional<std::string>> event(const std::string& type, const Json& object) {
  return std::optional<std::string>(Json{{"type", type}, {"object", object}}.dump());
}

Result<std::optional<std::string>> bookmark(const std::string& rv) {
  return event("BOOKMARK", Json{{"kind", "Pod"}, {"metadata", {{"resourceVersion", rv}}}});
}

Result<std::optional<std::string>> expired() {
  return event("ERROR", Json{{"kind", "Status"},
                             {"code", 410},
                             {"reason", "Expired"},
                             {"message", "too old resource version: 1 (50)"}});
}

// Records handler calls as "add ns/a@rv", "update ns/a@rv->rv", "delete ns/a".
struct Recorder {
  std::vector<std::string> calls;
  EventHandler handler() {
    auto rv = [](const ObjectPtr& o) { return (*o)["metadata"].value("resourceVersion", ""); };
    return EventHandler{
        [this, rv](const ObjectPtr& o) { calls.push_back("add " + objectKey(*o) + "@" + rv(o)); },
        [this, rv](const ObjectPtr& a, const ObjectPtr& b) {
          calls.push_back("update " + objectKey(*b) + "@" + rv(a) + "->" + rv(b));
        },
        [this](const ObjectPtr& o) { calls.push_back("delete " + objectKey(*o)); }};
  }
};

struct InformerTest : ::testing::Test {
  std::shared_ptr<FakeTransport> transport = std::make_shared<FakeTransport>();
  std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>();
  std::shared_ptr<Client> client = std::make_shared<Client>(transport, [] {
    ClientConfig c;
    c.max_retries = 0;
    return c;
  }());
  Informer informer{client, clock,
                    InformerConfig(resources::kPod).inNamespace("ns").withPageSize(2),
                    [] { return 0.5; }};
  Recorder recorder;

  void SetUp() override { informer.addHandler(recorder.handler()); }

  void stepUntil(Informer::State state, int max_steps = 20) {
    for (int i = 0; i < max_steps && informer.state() != state; ++i) informer.step();
    ASSERT_EQ(informer.state(), state) << stateName(informer.state());
  }
  std::vector<std::string> paths() {
    std::vector<std::string> out;
    for (const auto& r : transport->requests()) out.push_back(r.path);
    return out;
  }
};

TEST_F(InformerTest, ListsAllPagesBeforeTheCacheChangesThenWatchesFromTheListVersion) {
  transport->expectJson("GET", "/api/v1/namespaces/ns/pods?limit=2", 200,
                        listBody({pod("a", "5"), pod("b", "6")}, "10", "next"));
  transport->expectJson("GET", "/api/v1/namespaces/ns/pods?limit=2&continue=next", 200,
                        listBody({pod("c", "7")}, "10"));
  transport->expectStream("/api/v1/namespaces/ns/pods?watch=true&resourceVersion=10",
                          {{event("ADDED", pod("d", "11")), event("MODIFIED", pod("a", "12")),
                            event("DELETED", pod("b", "13")), bookmark("20")}});

  informer.step();  // first page
  EXPECT_EQ(informer.state(), Informer::State::kListing);
  EXPECT_EQ(informer.store().size(), 0u);  // nothing visible until the whole list is in
  EXPECT_FALSE(informer.hasSynced());
  informer.step();  // last page: swap
  EXPECT_TRUE(informer.hasSynced());
  EXPECT_EQ(informer.store().size(), 3u);
  EXPECT_EQ(informer.state(), Informer::State::kWatchStarting);
  informer.step();  // open the watch
  EXPECT_EQ(informer.state(), Informer::State::kWatching);
  for (int i = 0; i < 4; ++i) informer.step();
  EXPECT_EQ(informer.lastResourceVersion(), "20");
  EXPECT_EQ(recorder.calls,
            (std::vector<std::string>{"add ns/a@5", "add ns/b@6", "add ns/c@7", "add ns/d@11",
                                      "update ns/a@5->12", "delete ns/b"}));
  EXPECT_EQ(informer.store().keys(), (std::vector<std::string>{"ns/a", "ns/c", "ns/d"}));
  EXPECT_NE(paths().back().find("allowWatchBookmarks=true"), std::string::npos);
}

TEST_F(InformerTest, ExpiredWatchRelistsSwapsAtomicallyAndLosesNoChange) {
  transport->expectJson("GET", "/api/v1/namespaces/ns/pods?limit=2", 200,
                        listBody({pod("a", "5"), pod("b", "6")}, "10"));
  transport->expectStream("/api/v1/namespaces/ns/pods?watch=true&resourceVersion=10",
                          {{event("MODIFIED", pod("a", "11")), expired()}});
  // While we were cut off: a changed again, b deleted, c created.
  transport->expectJson("GET", "/api/v1/namespaces/ns/pods?limit=2", 200,
                        listBody({pod("a", "30"), pod("c", "31")}, "40"));
  transport->expectStream("/api/v1/namespaces/ns/pods?watch=true&resourceVersion=40",
                          {{event("ADDED", pod("d", "41"))}});

  stepUntil(Informer::State::kWatching);
  informer.step();  // MODIFIED a
  informer.step();  // ERROR 410
  EXPECT_EQ(informer.state(), Informer::State::kListing);
  informer.step();  // relist in one page
  EXPECT_EQ(informer.store().keys(), (std::vector<std::string>{"ns/a", "ns/c"}));
  stepUntil(Informer::State::kWatching);
  informer.step();
  EXPECT_EQ(recorder.calls,
            (std::vector<std::string>{"add ns/a@5", "add ns/b@6", "update ns/a@5->11",
                                      "update ns/a@11->30", "add ns/c@31", "delete ns/b",
                                      "add ns/d@41"}));
  EXPECT_EQ(informer.lastResourceVersion(), "41");
}

TEST_F(InformerTest, CleanStreamEndRewatchesFromTheLastSeenVersion) {
  transport->expectJson("GET", "/api/v1/namespaces/ns/pods", 200, listBody({}, "10"));
  transport->expectStream("/api/v1/namespaces/ns/pods?watch=true&resourceVersion=10",
                          {{event("ADDED", pod("a", "11")), bookmark("15")}});
  transport->expectStream("/api/v1/namespaces/ns/pods?watch=true&resourceVersion=15", {});
  stepUntil(Informer::State::kWatching);
  informer.step();
  informer.step();
  informer.step();  // end of stream
  EXPECT_EQ(informer.state(), Informer::State::kWatchStarting);
  informer.step();
  EXPECT_EQ(informer.state(), Informer::State::kWatching);
  EXPECT_EQ(transport->pending(), 0u);
}

TEST_F(InformerTest, BrokenStreamBacksOffWithJitterThenRewatchesWithoutRelisting) {
  transport->expectJson("GET", "/api/v1/namespaces/ns/pods", 200, listBody({pod("a", "5")}, "10"));
  transport->expectStream(
      "/api/v1/namespaces/ns/pods?watch=true&resourceVersion=10",
      {{event("MODIFIED", pod("a", "12")), fail(ErrorCategory::kTransport, "connection reset")}});
  transport->expectStreamError("/api/v1/namespaces/ns/pods?watch=true&resourceVersion=12", 500,
                               "overloaded");
  transport->expectStream("/api/v1/namespaces/ns/pods?watch=true&resourceVersion=12", {});
  stepUntil(Informer::State::kWatching);
  informer.step();
  auto before = clock->now();
  informer.step();  // the stream breaks
  ASSERT_EQ(informer.state(), Informer::State::kBackoff);
  // 800 ms plus jitter 0.5 × 800 ms.
  EXPECT_EQ(informer.backoffUntil() - before, Clock::Duration(1200ms));
  informer.step();
  EXPECT_EQ(informer.state(), Informer::State::kBackoff);  // not yet due
  clock->advance(1200ms);
  informer.step();
  EXPECT_EQ(informer.state(), Informer::State::kWatchStarting);
  informer.step();  // 500 on the watch: back off again, twice as long
  ASSERT_EQ(informer.state(), Informer::State::kBackoff);
  EXPECT_EQ(informer.backoffUntil() - clock->now(), Clock::Duration(2400ms));
  clock->advance(2400ms);
  stepUntil(Informer::State::kWatching);
  EXPECT_EQ(transport->pending(), 0u);
  EXPECT_EQ(informer.store().get("ns/a")->at("metadata").value("resourceVersion", ""), "12");
}

TEST_F(InformerTest, WatchRefusedWith410Relists) {
  transport->expectJson("GET", "/api/v1/namespaces/ns/pods", 200, listBody({}, "10"));
  transport->expectStreamError("/api/v1/namespaces/ns/pods?watch=true&resourceVersion=10", 410,
                               R"({"kind":"Status","code":410,"reason":"Expired"})");
  transport->expectJson("GET", "/api/v1/namespaces/ns/pods", 200, listBody({}, "50"));
  stepUntil(Informer::State::kWatchStarting);
  informer.step();
  EXPECT_EQ(informer.state(), Informer::State::kListing);
  informer.step();
  EXPECT_EQ(informer.lastResourceVersion(), "50");
}

TEST_F(InformerTest, ListFailureBacksOffAndRetries) {
  transport->expectJson("GET", "/api/v1/namespaces/ns/pods", 503, "down");
  transport->expectJson("GET", "/api/v1/namespaces/ns/pods", 200, listBody({}, "10"));
  informer.step();
  ASSERT_EQ(informer.state(), Informer::State::kBackoff);
  EXPECT_FALSE(informer.hasSynced());
  clock->advance(2s);
  stepUntil(Informer::State::kWatchStarting);
  EXPECT_TRUE(informer.hasSynced());
}

TEST_F(InformerTest, ExpiredContinueTokenRestartsTheListFromScratch) {
  transport->expectJson("GET", "/api/v1/namespaces/ns/pods?limit=2", 200,
                        listBody({pod("a", "5"), pod("b", "6")}, "10", "tok"));
  transport->expectJson("GET", "/api/v1/namespaces/ns/pods?limit=2&continue=tok", 410,
                        R"({"kind":"Status","code":410,"reason":"Expired"})");
  transport->expectJson("GET", "/api/v1/namespaces/ns/pods?limit=2", 200,
                        listBody({pod("a", "5")}, "20"));
  informer.step();
  informer.step();
  EXPECT_EQ(informer.state(), Informer::State::kListing);
  EXPECT_EQ(informer.store().size(), 0u);
  informer.step();
  EXPECT_EQ(informer.store().keys(), std::vector<std::string>{"ns/a"});
  EXPECT_EQ(informer.lastResourceVersion(), "20");
}

TEST_F(InformerTest, ShortEmptyWatchesBackOffInsteadOfSpinning) {
  transport->expectJson("GET", "/api/v1/namespaces/ns/pods", 200, listBody({}, "10"));
  transport->expectStream("/api/v1/namespaces/ns/pods?watch=true&resourceVersion=10", {});
  stepUntil(Informer::State::kWatching);
  informer.step();
  EXPECT_EQ(informer.state(), Informer::State::kBackoff);
}

TEST_F(InformerTest, HandlerAddedLateSeesTheCacheAsAdds) {
  transport->expectJson("GET", "/api/v1/namespaces/ns/pods", 200,
                        listBody({pod("a", "5"), pod("b", "6")}, "10"));
  informer.step();
  Recorder late;
  informer.addHandler(late.handler());
  EXPECT_EQ(late.calls, (std::vector<std::string>{"add ns/a@5", "add ns/b@6"}));
}

TEST(StoreTest, IndexesByOwnerAndNamespace) {
  Store store;
  store.replace({pod("a", "1", "uid-1"), pod("b", "2", "uid-1"), pod("c", "3", "uid-2")});
  EXPECT_EQ(store.byOwner("uid-1").size(), 2u);
  EXPECT_EQ(store.byOwner("uid-2").size(), 1u);
  EXPECT_EQ(store.listNamespace("ns").size(), 3u);
  store.upsert(pod("b", "4", "uid-2"));  // b changes owner
  EXPECT_EQ(store.byOwner("uid-1").size(), 1u);
  EXPECT_EQ(store.byOwner("uid-2").size(), 2u);
  store.erase("ns/c");
  EXPECT_EQ(store.byOwner("uid-2").size(), 1u);
  EXPECT_EQ(store.listNamespace("ns").size(), 2u);
  EXPECT_EQ(store.get("ns/c"), nullptr);
}

TEST(StoreTest, ReadersKeepTheirObjectAcrossReplace) {
  Store store;
  store.replace({pod("a", "1")});
  auto held = store.get("ns/a");
  store.replace({pod("a", "2")});
  EXPECT_EQ((*held)["metadata"]["resourceVersion"], "1");
  EXPECT_EQ((*store.get("ns/a"))["metadata"]["resourceVersion"], "2");
}

TEST_F(InformerTest, RunStopsPromptlyWhileAWatchIsOpen) {
  transport->expectJson("GET", "/api/v1/namespaces/ns/pods", 200, listBody({pod("a", "5")}, "10"));
  transport->expectStream("/api/v1/namespaces/ns/pods?watch=true&resourceVersion=10",
                          {{event("ADDED", pod("b", "11"))}, /*block_at_end=*/true});
  std::mutex m;
  std::condition_variable cv;
  bool saw_b = false;
  informer.addHandler(EventHandler{[&](const ObjectPtr& o) {
                                     if (objectKey(*o) != "ns/b") return;
                                     std::lock_guard lock(m);
                                     saw_b = true;
                                     cv.notify_all();
                                   },
                                   nullptr, nullptr});
  std::jthread runner([&](std::stop_token st) { informer.run(st); });
  {
    std::unique_lock lock(m);
    cv.wait(lock, [&] { return saw_b; });
  }
  runner.request_stop();  // cancels the blocked read
  runner.join();
  EXPECT_EQ(informer.store().size(), 2u);
}

}  // namespace
}  // namespace zkop::runtime
