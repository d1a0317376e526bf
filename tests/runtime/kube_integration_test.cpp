// Runs the runtime against a real API server (the sandbox, or any cluster) through the
// cpprestsdk transport. ZKOP_KUBECONFIG names the kubeconfig (the suite starts a sandbox for
// it: tests/runtime/CMakeLists.txt); ZKOP_TEST_NAMESPACE
// (default "default") is where the test objects go. ctest label: kube.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <set>
#include <thread>

#include "operator/runtime/client.h"
#include "operator/runtime/cpprest_transport.h"
#include "operator/runtime/informer.h"
#include "operator/runtime/kubeconfig.h"
#include "operator/runtime/leader_election.h"

namespace zkop::runtime {
namespace {

using namespace std::chrono_literals;

class KubeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* path = std::getenv("ZKOP_KUBECONFIG");
    // The suite runs these against a sandbox (tests/runtime/CMakeLists.txt); run by hand
    // without one, they fail loudly rather than pass by skipping.
    ASSERT_TRUE(path != nullptr && *path != '\0') << "ZKOP_KUBECONFIG is not set";
    const char* ns = std::getenv("ZKOP_TEST_NAMESPACE");
    ns_ = ns != nullptr && *ns != '\0' ? ns : "default";
    auto config = loadKubeconfig(ConfigOptions::fromProcess(path));
    ASSERT_TRUE(config) << config.error().describe();
    config_ = *config;
    auto transport = makeCpprestTransport(config_);
    ASSERT_TRUE(transport) << transport.error().describe();
    client_ = std::make_shared<Client>(std::shared_ptr<HttpTransport>(std::move(*transport)));
    static std::atomic<int> counter{0};
    suffix_ = std::to_string(::getpid()) + "-" + std::to_string(counter++);
  }

  Json configMap(const std::string& name, const std::string& value) {
    return Json{
        {"apiVersion", "v1"},
        {"kind", "ConfigMap"},
        {"metadata", {{"name", name}, {"namespace", ns_}, {"labels", {{"zkop-test", suffix_}}}}},
        {"data", {{"value", value}}}};
  }

  RestConfig config_;
  std::shared_ptr<Client> client_;
  std::string ns_;
  std::string suffix_;
};

TEST_F(KubeTest, CrudConflictAndRetry) {
  const std::string name = "zkop-crud-" + suffix_;
  auto created = client_->create(resources::kConfigMap, ns_, configMap(name, "1"));
  ASSERT_TRUE(created) << created.error().describe();
  auto again = client_->create(resources::kConfigMap, ns_, configMap(name, "1"));
  ASSERT_FALSE(again);
  EXPECT_TRUE(again.error().is(ErrorCategory::kAlreadyExists)) << again.error().describe();

  Json stale = *created;
  auto patched = client_->patch(resources::kConfigMap, ns_, name, Json{{"data", {{"value", "2"}}}});
  ASSERT_TRUE(patched) << patched.error().describe();
  stale["data"]["value"] = "3";
  auto conflict = client_->update(resources::kConfigMap, ns_, stale);
  ASSERT_FALSE(conflict);
  EXPECT_TRUE(conflict.error().is(ErrorCategory::kConflict)) << conflict.error().describe();

  auto retried =
      client_->updateWithRetry(resources::kConfigMap, ns_, name, [](Json& cm) -> Result<bool> {
        cm["data"]["value"] = "4";
        return true;
      });
  ASSERT_TRUE(retried) << retried.error().describe();
  auto read = client_->get(resources::kConfigMap, ns_, name);
  ASSERT_TRUE(read);
  EXPECT_EQ((*read)["data"]["value"], "4");

  ListOptions options;
  options.label_selector = "zkop-test=" + suffix_;
  options.limit = 1;
  auto listed = client_->list(resources::kConfigMap, ns_, options);
  ASSERT_TRUE(listed) << listed.error().describe();
  EXPECT_EQ(listed->items.size(), 1u);
  EXPECT_FALSE(listed->resource_version.empty());

  ASSERT_TRUE(client_->remove(resources::kConfigMap, ns_, name));
  auto gone = client_->get(resources::kConfigMap, ns_, name);
  ASSERT_FALSE(gone);
  EXPECT_TRUE(gone.error().is(ErrorCategory::kNotFound));
}

TEST_F(KubeTest, InformerSeesAddUpdateDelete) {
  auto clock = std::make_shared<SystemClock>();
  Informer informer(client_, clock,
                    InformerConfig(resources::kConfigMap)
                        .inNamespace(ns_)
                        .withLabels("zkop-test=" + suffix_)
                        .withWatchTimeout(30s));
  std::mutex m;
  std::condition_variable cv;
  std::vector<std::string> seen;
  auto note = [&](std::string what) {
    std::lock_guard lock(m);
    seen.push_back(std::move(what));
    cv.notify_all();
  };
  informer.addHandler(
      EventHandler{[&](const ObjectPtr& o) { note("add " + (*o)["data"].value("value", "")); },
                   [&](const ObjectPtr&, const ObjectPtr& o) {
                     note("update " + (*o)["data"].value("value", ""));
                   },
                   [&](const ObjectPtr&) { note("delete"); }});
  std::jthread runner([&](std::stop_token st) { informer.run(st); });
  ASSERT_TRUE(informer.waitForSync(runner.get_stop_token()));

  const std::string name = "zkop-informer-" + suffix_;
  ASSERT_TRUE(client_->create(resources::kConfigMap, ns_, configMap(name, "a")));
  ASSERT_TRUE(client_->patch(resources::kConfigMap, ns_, name, Json{{"data", {{"value", "b"}}}}));
  ASSERT_TRUE(client_->remove(resources::kConfigMap, ns_, name));
  std::unique_lock lock(m);
  ASSERT_TRUE(cv.wait_for(lock, 30s, [&] { return !seen.empty() && seen.back() == "delete"; }))
      << ::testing::PrintToString(seen);
  EXPECT_EQ(seen.front(), "add a");
  EXPECT_NE(std::find(seen.begin(), seen.end(), "update b"), seen.end());
  EXPECT_EQ(informer.store().size(), 0u);
}

// Counts the list requests (GETs that are not watches) a client sends, to prove a relist.
class CountingTransport : public HttpTransport {
 public:
  explicit CountingTransport(std::shared_ptr<HttpTransport> inner) : inner_(std::move(inner)) {}
  Result<HttpResponse> send(const HttpRequest& request) override {
    if (request.method == "GET" && request.path.find("watch=") == std::string::npos) ++lists;
    return inner_->send(request);
  }
  Result<std::unique_ptr<LineStream>> stream(const HttpRequest& request) override {
    return inner_->stream(request);
  }
  std::atomic<int> lists{0};

 private:
  std::shared_ptr<HttpTransport> inner_;
};

// The sandbox's control endpoints (docs/sandbox.md, "Fault injection").
void sandboxControl(const RestConfig& config, const std::string& path, const Json& body) {
  auto transport = makeCpprestTransport(config);
  ASSERT_TRUE(transport) << transport.error().describe();
  HttpRequest request;
  request.method = "POST";
  request.path = path;
  request.headers["Content-Type"] = "application/json";
  request.body = body.dump();
  auto response = (*transport)->send(request);
  ASSERT_TRUE(response) << response.error().describe();
  ASSERT_LT(response->status, 300) << path << ": " << response->body;
}

TEST_F(KubeTest, InformerRelistsAfterGoneAndLosesNoEvent) {
  auto transport = makeCpprestTransport(config_);
  ASSERT_TRUE(transport) << transport.error().describe();
  auto counting =
      std::make_shared<CountingTransport>(std::shared_ptr<HttpTransport>(std::move(*transport)));
  auto client = std::make_shared<Client>(counting);
  Informer informer(client, std::make_shared<SystemClock>(),
                    InformerConfig(resources::kConfigMap)
                        .inNamespace(ns_)
                        .withLabels("zkop-test=" + suffix_)
                        .withWatchTimeout(30s));
  std::mutex m;
  std::set<std::string> added;
  informer.addHandler(EventHandler{[&](const ObjectPtr& o) {
                                     std::lock_guard lock(m);
                                     added.insert((*o)["metadata"].value("name", ""));
                                   },
                                   {},
                                   {}});
  std::jthread runner([&](std::stop_token st) { informer.run(st); });
  ASSERT_TRUE(informer.waitForSync(runner.get_stop_token()));
  const int listsBefore = counting->lists.load();

  std::set<std::string> created;
  for (int i = 0; i < 3; ++i) {
    const auto name = "zkop-gone-a" + std::to_string(i) + "-" + suffix_;
    ASSERT_TRUE(client_->create(resources::kConfigMap, ns_, configMap(name, "a")));
    created.insert(name);
  }
  // Cut the watch and keep the informer from re-watching for a while (three watch requests
  // fail with 500, so it backs off); meanwhile more objects are created and the history is
  // forgotten. Its resourceVersion is then too old: the next watch gets 410 Gone and the
  // informer must relist, and the objects created meanwhile must arrive all the same.
  sandboxControl(config_, "/sandbox/v1/faults",
                 Json{{"verb", "watch"}, {"resource", "configmaps"}, {"count", 3}, {"code", 500}});
  sandboxControl(config_, "/sandbox/v1/drop-watches", Json::object());
  for (int i = 0; i < 3; ++i) {
    const auto name = "zkop-gone-b" + std::to_string(i) + "-" + suffix_;
    ASSERT_TRUE(client_->create(resources::kConfigMap, ns_, configMap(name, "b")));
    created.insert(name);
  }
  sandboxControl(config_, "/sandbox/v1/compact", Json::object());
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (std::chrono::steady_clock::now() < deadline) {
    {
      std::lock_guard lock(m);
      if (std::includes(added.begin(), added.end(), created.begin(), created.end()) &&
          counting->lists.load() > listsBefore) {
        break;
      }
    }
    std::this_thread::sleep_for(50ms);  // polling the handler's record
  }
  std::lock_guard lock(m);
  EXPECT_TRUE(std::includes(added.begin(), added.end(), created.begin(), created.end()))
      << "seen: " << ::testing::PrintToString(added);
  EXPECT_GT(counting->lists.load(), listsBefore) << "no relist after 410";
  EXPECT_EQ(informer.store().size(), created.size());
}

TEST_F(KubeTest, ServerErrorsAreRetriedWithBackoff) {
  const std::string name = "zkop-retry-" + suffix_;
  ASSERT_TRUE(client_->create(resources::kConfigMap, ns_, configMap(name, "1")));
  sandboxControl(config_, "/sandbox/v1/faults",
                 Json{{"verb", "get"}, {"resource", "configmaps"}, {"count", 3}, {"code", 500}});
  auto transport = makeCpprestTransport(config_);
  ASSERT_TRUE(transport) << transport.error().describe();
  std::vector<std::chrono::milliseconds> sleeps;
  ClientConfig cc;
  cc.max_retries = 3;
  cc.sleep = [&](std::chrono::milliseconds d) {
    sleeps.push_back(d);
    std::this_thread::sleep_for(d);
  };
  Client client(std::shared_ptr<HttpTransport>(std::move(*transport)), cc);
  auto got = client.get(resources::kConfigMap, ns_, name);
  ASSERT_TRUE(got) << got.error().describe();
  EXPECT_EQ((*got)["data"]["value"], "1");
  EXPECT_EQ(sleeps.size(), 3u) << "three 500s, three backoffs, then success";
}

TEST_F(KubeTest, ExactlyOneLeaderAndHandoverOnRelease) {
  auto clock = std::make_shared<SystemClock>();
  auto make = [&](const std::string& id, std::atomic<bool>& leading) {
    LeaderElectionConfig c;
    c.lease_namespace = ns_;
    c.lease_name = "zkop-le-" + suffix_;
    c.identity = id;
    c.lease_duration = 3s;
    c.renew_deadline = 2s;
    c.retry_period = 500ms;
    c.on_started_leading = [&leading] { leading = true; };
    c.on_stopped_leading = [&leading] { leading = false; };
    return std::make_unique<LeaderElector>(client_, clock, c);
  };
  std::atomic<bool> a_leads{false};
  std::atomic<bool> b_leads{false};
  auto a = make("a", a_leads);
  auto b = make("b", b_leads);
  std::jthread run_a([&](std::stop_token st) { a->run(st); });
  // Wait for a to lead before b starts, so the order is known.
  for (int i = 0; i < 100 && !a_leads; ++i) std::this_thread::sleep_for(100ms);
  ASSERT_TRUE(a_leads.load());
  std::jthread run_b([&](std::stop_token st) { b->run(st); });
  std::this_thread::sleep_for(4s);  // longer than the lease: b must still not lead
  EXPECT_TRUE(a_leads.load());
  EXPECT_FALSE(b_leads.load());
  const auto stopped_at = std::chrono::steady_clock::now();
  run_a.request_stop();
  run_a.join();
  for (int i = 0; i < 100 && !b_leads; ++i) std::this_thread::sleep_for(100ms);
  ASSERT_TRUE(b_leads.load());
  EXPECT_LT(std::chrono::steady_clock::now() - stopped_at, 3s);
  run_b.request_stop();
  run_b.join();
  (void)client_->remove(resources::kLease, ns_, "zkop-le-" + suffix_);
}

}  // namespace
}  // namespace zkop::runtime
