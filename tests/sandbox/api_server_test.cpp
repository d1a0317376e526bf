// The API layer driven without HTTP: verbs, conflicts, patches, subresources, deletion,
// garbage collection, pagination, watch and faults, with a clock the test controls.
#include "e2e/sandbox/api/api_server.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace zkop::sandbox {
namespace {

using nlohmann::json;

class ApiServerTest : public ::testing::Test {
 protected:
  ApiServerTest()
      : clock_(*parse_rfc3339("2026-01-01T00:00:00Z")), api_(clock_, options(), "secret") {}

  static ApiOptions options() {
    ApiOptions o;
    o.history_capacity = 8;
    o.random_seed = 42;
    return o;
  }

  struct Reply {
    int status;
    json body;
    std::vector<std::pair<std::string, std::string>> headers;
  };

  Reply call(std::string method, std::string path, json body = nullptr,
             std::string content_type = "application/json", std::string accept = "") {
    ApiRequest r;
    r.method = std::move(method);
    const auto q = path.find('?');
    r.path = path.substr(0, q);
    if (q != std::string::npos) {
      std::stringstream query(path.substr(q + 1));
      std::string pair;
      while (std::getline(query, pair, '&')) {
        const auto eq = pair.find('=');
        r.query[pair.substr(0, eq)] = eq == std::string::npos ? "" : pair.substr(eq + 1);
      }
    }
    r.content_type = std::move(content_type);
    r.accept = std::move(accept);
    r.authorization = "Bearer secret";
    if (!body.is_null()) r.body = body.dump();
    ApiResult result = api_.handle(r);
    auto* response = std::get_if<ApiResponse>(&result);
    if (response == nullptr) return {-1, nullptr, {}};
    return {response->status, json::parse(response->body, nullptr, false), response->headers};
  }

  WatchStream watch(const std::string& path) {
    ApiRequest r;
    r.method = "GET";
    const auto q = path.find('?');
    r.path = path.substr(0, q);
    std::stringstream query(path.substr(q + 1));
    std::string pair;
    while (std::getline(query, pair, '&')) {
      const auto eq = pair.find('=');
      r.query[pair.substr(0, eq)] = pair.substr(eq + 1);
    }
    r.authorization = "Bearer secret";
    ApiResult result = api_.handle(r);
    return std::get<WatchStream>(std::move(result));
  }

  void create_crd() {
    std::ifstream in(std::string(ZKOP_SOURCE_DIR) + "/tests/sandbox/testdata/crd.json");
    ASSERT_TRUE(in) << "testdata/crd.json missing";
    const json crd = json::parse(in);
    ASSERT_EQ(call("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd).status,
              201);
  }

  json widget(const std::string& name, json spec = json::object()) {
    return {{"apiVersion", "test.zkop.io/v1alpha1"},
            {"kind", "Widget"},
            {"metadata", {{"name", name}}},
            {"spec", spec}};
  }

  static json configmap(const std::string& name, json meta_extra = json::object()) {
    json m = {{"name", name}};
    m.update(meta_extra);
    return {{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", m}, {"data", {{"k", "v"}}}};
  }

  static constexpr const char* kWidgets = "/apis/test.zkop.io/v1alpha1/namespaces/default/widgets";
  static constexpr const char* kConfigMaps = "/api/v1/namespaces/default/configmaps";

  ManualClock clock_;
  ApiServer api_;
};

TEST_F(ApiServerTest, RejectsAWrongToken) {
  ApiRequest r;
  r.method = "GET";
  r.path = "/api/v1/namespaces";
  r.authorization = "Bearer nope";
  const ApiResult result = api_.handle(r);
  const auto& response = std::get<ApiResponse>(result);
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(json::parse(response.body)["reason"], "Unauthorized");
}

TEST_F(ApiServerTest, CreateFillsServerFieldsAndGenerateName) {
  json cm = configmap("");
  cm["metadata"].erase("name");
  cm["metadata"]["generateName"] = "cfg-";
  const auto created = call("POST", kConfigMaps, cm);
  ASSERT_EQ(created.status, 201) << created.body;
  const json& m = created.body["metadata"];
  EXPECT_EQ(m["name"].get<std::string>().size(), 9u);
  EXPECT_EQ(m["uid"].get<std::string>().size(), 36u);
  EXPECT_EQ(m["creationTimestamp"], "2026-01-01T00:00:00Z");
  EXPECT_FALSE(m["resourceVersion"].get<std::string>().empty());
  EXPECT_EQ(call("POST", kConfigMaps, configmap("x")).status, 201);
  const auto again = call("POST", kConfigMaps, configmap("x"));
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.body["reason"], "AlreadyExists");
  const auto missing_ns = call("POST", "/api/v1/namespaces/nope/configmaps", configmap("y"));
  EXPECT_EQ(missing_ns.status, 404);
  EXPECT_EQ(missing_ns.body["message"], "namespaces \"nope\" not found");
}

TEST_F(ApiServerTest, UpdateWithAStaleResourceVersionConflicts) {
  const json created = call("POST", kConfigMaps, configmap("a")).body;
  json first = created;
  first["data"]["k"] = "v2";
  ASSERT_EQ(call("PUT", std::string(kConfigMaps) + "/a", first).status, 200);
  json stale = created;
  stale["data"]["k"] = "v3";
  const auto conflict = call("PUT", std::string(kConfigMaps) + "/a", stale);
  EXPECT_EQ(conflict.status, 409);
  EXPECT_EQ(conflict.body["reason"], "Conflict");
  EXPECT_EQ(conflict.body["message"],
            "Operation cannot be fulfilled on configmaps \"a\": the object has been modified; "
            "please apply your changes to the latest version and try again");
}

TEST_F(ApiServerTest, NoOpUpdateKeepsTheResourceVersion) {
  const json created = call("POST", kConfigMaps, configmap("a")).body;
  const auto same = call("PUT", std::string(kConfigMaps) + "/a", created);
  EXPECT_EQ(same.body["metadata"]["resourceVersion"], created["metadata"]["resourceVersion"]);
}

TEST_F(ApiServerTest, MergeJsonAndStrategicPatches) {
  call("POST", kConfigMaps, configmap("a"));
  const std::string url = std::string(kConfigMaps) + "/a";
  auto merged =
      call("PATCH", url, {{"data", {{"k", nullptr}, {"n", "1"}}}}, "application/merge-patch+json");
  EXPECT_EQ(merged.body["data"], json({{"n", "1"}}));
  auto patched = call("PATCH", url, json::parse(R"([{"op":"add","path":"/data/m","value":"2"}])"),
                      "application/json-patch+json");
  EXPECT_EQ(patched.body["data"]["m"], "2");
  auto failed = call("PATCH", url, json::parse(R"([{"op":"test","path":"/data/m","value":"x"}])"),
                     "application/json-patch+json");
  EXPECT_EQ(failed.status, 422);
  auto smp = call("PATCH", url, {{"metadata", {{"labels", {{"a", "b"}}}}}},
                  "application/strategic-merge-patch+json");
  EXPECT_EQ(smp.body["metadata"]["labels"]["a"], "b");
  auto stale = call("PATCH", url, {{"metadata", {{"resourceVersion", "1"}}}},
                    "application/merge-patch+json");
  EXPECT_EQ(stale.status, 409);
}

TEST_F(ApiServerTest, CustomResourcesGetDefaultsPruningAndGeneration) {
  create_crd();
  json w = widget("w", {{"image", "zk"}, {"bogus", 1}});
  const auto strict = call("POST", std::string(kWidgets) + "?fieldValidation=Strict", w);
  EXPECT_EQ(strict.status, 400);
  EXPECT_NE(strict.body["message"].get<std::string>().find("unknown field \"spec.bogus\""),
            std::string::npos);
  const auto created = call("POST", kWidgets, w);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_FALSE(created.body["spec"].contains("bogus"));
  EXPECT_EQ(created.body["spec"]["replicas"], 3);
  EXPECT_EQ(created.body["metadata"]["generation"], 1);
  ASSERT_FALSE(created.headers.empty());
  EXPECT_EQ(created.headers[0].second, "299 - \"unknown field \\\"spec.bogus\\\"\"");
  const std::string url = std::string(kWidgets) + "/w";
  auto status =
      call("PATCH", url + "/status", {{"status", {{"phase", "Running"}, {"replicas", 3}}}},
           "application/merge-patch+json");
  EXPECT_EQ(status.body["status"]["phase"], "Running");
  EXPECT_EQ(status.body["metadata"]["generation"], 1) << "status changes do not bump generation";
  auto ignored =
      call("PATCH", url, {{"status", {{"phase", "Hacked"}}}}, "application/merge-patch+json");
  EXPECT_EQ(ignored.body["status"]["phase"], "Running") << "the main resource ignores status";
  auto spec = call("PATCH", url, {{"spec", {{"replicas", 5}}}}, "application/merge-patch+json");
  EXPECT_EQ(spec.body["metadata"]["generation"], 2);
  auto invalid = call("PATCH", url, {{"spec", {{"replicas", -1}}}}, "application/merge-patch+json");
  EXPECT_EQ(invalid.status, 422);
  EXPECT_EQ(invalid.body["reason"], "Invalid");
  EXPECT_EQ(
      call("PATCH", url, {{"spec", {{"replicas", 4}}}}, "application/strategic-merge-patch+json")
          .status,
      415);
  json no_rv = spec.body;
  no_rv["metadata"].erase("resourceVersion");
  EXPECT_EQ(call("PUT", url, no_rv).status, 422)
      << "custom resources need a resourceVersion to update";
}

TEST_F(ApiServerTest, ScaleSubresource) {
  create_crd();
  call("POST", kWidgets, widget("w", {{"image", "zk"}}));
  const std::string url = std::string(kWidgets) + "/w";
  call("PATCH", url + "/status", {{"status", {{"replicas", 3}, {"selector", "app=w"}}}},
       "application/merge-patch+json");
  auto scale = call("GET", url + "/scale");
  EXPECT_EQ(scale.body["kind"], "Scale");
  EXPECT_EQ(scale.body["spec"]["replicas"], 3);
  EXPECT_EQ(scale.body["status"]["selector"], "app=w");
  auto scaled =
      call("PATCH", url + "/scale", {{"spec", {{"replicas", 5}}}}, "application/merge-patch+json");
  EXPECT_EQ(scaled.body["spec"]["replicas"], 5);
  EXPECT_EQ(call("GET", url).body["spec"]["replicas"], 5);
}

TEST_F(ApiServerTest, TableOutputUsesPrinterColumns) {
  create_crd();
  call("POST", kWidgets, widget("w", {{"image", "zk"}}));
  clock_.advance(std::chrono::seconds(90));
  const auto table = call("GET", std::string(kWidgets) + "?limit=500", nullptr, "",
                          "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
  ASSERT_EQ(table.body["kind"], "Table");
  std::vector<std::string> names;
  for (const auto& c : table.body["columnDefinitions"]) names.push_back(c["name"]);
  EXPECT_EQ(names, (std::vector<std::string>{"Name", "Replicas", "Ready", "Phase", "Age"}));
  EXPECT_EQ(table.body["rows"][0]["cells"], json::parse(R"(["w", 3, null, null, "90s"])"));
}

TEST_F(ApiServerTest, FinalizersHoldADeletion) {
  call("POST", kConfigMaps, configmap("held", {{"finalizers", {"test/hold"}}}));
  const std::string url = std::string(kConfigMaps) + "/held";
  const auto deleting = call("DELETE", url);
  EXPECT_EQ(deleting.status, 200);
  EXPECT_EQ(deleting.body["metadata"]["deletionTimestamp"], "2026-01-01T00:00:00Z");
  EXPECT_EQ(call("GET", url).status, 200);
  call("PATCH", url, {{"metadata", {{"finalizers", nullptr}}}}, "application/merge-patch+json");
  EXPECT_EQ(call("GET", url).status, 404);
}

TEST_F(ApiServerTest, DeletePreconditions) {
  call("POST", kConfigMaps, configmap("a"));
  const auto wrong =
      call("DELETE", std::string(kConfigMaps) + "/a", {{"preconditions", {{"uid", "not-it"}}}});
  EXPECT_EQ(wrong.status, 409);
  EXPECT_EQ(call("GET", std::string(kConfigMaps) + "/a").status, 200);
}

TEST_F(ApiServerTest, GarbageCollectsDependentsInBackgroundAndForeground) {
  const json owner = call("POST", kConfigMaps, configmap("owner")).body;
  const json ref = {{"apiVersion", "v1"},
                    {"kind", "ConfigMap"},
                    {"name", "owner"},
                    {"uid", owner["metadata"]["uid"]},
                    {"blockOwnerDeletion", true}};
  call("POST", kConfigMaps, configmap("dep", {{"ownerReferences", {ref}}}));
  call("DELETE", std::string(kConfigMaps) + "/owner");
  EXPECT_EQ(call("GET", std::string(kConfigMaps) + "/dep").status, 404);

  const json owner2 = call("POST", kConfigMaps, configmap("owner2")).body;
  json ref2 = ref;
  ref2["uid"] = owner2["metadata"]["uid"];
  call("POST", kConfigMaps,
       configmap("dep2", {{"ownerReferences", {ref2}}, {"finalizers", {"test/hold"}}}));
  const auto fg =
      call("DELETE", std::string(kConfigMaps) + "/owner2", {{"propagationPolicy", "Foreground"}});
  EXPECT_EQ(fg.body["metadata"]["finalizers"], json({"foregroundDeletion"}));
  EXPECT_EQ(call("GET", std::string(kConfigMaps) + "/owner2").status, 200)
      << "waits for its dependent";
  EXPECT_TRUE(call("GET", std::string(kConfigMaps) + "/dep2")
                  .body["metadata"]
                  .contains("deletionTimestamp"));
  call("PATCH", std::string(kConfigMaps) + "/dep2", {{"metadata", {{"finalizers", nullptr}}}},
       "application/merge-patch+json");
  EXPECT_EQ(call("GET", std::string(kConfigMaps) + "/dep2").status, 404);
  EXPECT_EQ(call("GET", std::string(kConfigMaps) + "/owner2").status, 404);
}

TEST_F(ApiServerTest, OrphanPropagationKeepsDependents) {
  const json owner = call("POST", kConfigMaps, configmap("owner")).body;
  const json ref = {{"apiVersion", "v1"},
                    {"kind", "ConfigMap"},
                    {"name", "owner"},
                    {"uid", owner["metadata"]["uid"]}};
  call("POST", kConfigMaps, configmap("dep", {{"ownerReferences", {ref}}}));
  call("DELETE", std::string(kConfigMaps) + "/owner?propagationPolicy=Orphan");
  const auto dep = call("GET", std::string(kConfigMaps) + "/dep");
  EXPECT_EQ(dep.status, 200);
  EXPECT_FALSE(dep.body["metadata"].contains("ownerReferences"));
}

TEST_F(ApiServerTest, NamespaceDeletionRemovesItsContent) {
  call("POST", "/api/v1/namespaces",
       {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", "t"}}}});
  call("POST", "/api/v1/namespaces/t/configmaps", configmap("a"));
  const auto terminating = call("DELETE", "/api/v1/namespaces/t");
  EXPECT_EQ(terminating.status, 200);
  EXPECT_EQ(call("GET", "/api/v1/namespaces/t/configmaps/a").status, 404);
  EXPECT_EQ(call("GET", "/api/v1/namespaces/t").status, 404);
  const auto default_ns = call("DELETE", "/api/v1/namespaces/default");
  EXPECT_EQ(default_ns.status, 403);
  EXPECT_EQ(default_ns.body["message"],
            "namespaces \"default\" is forbidden: this namespace may not be deleted");
}

TEST_F(ApiServerTest, PaginationWithLimitAndContinue) {
  for (int i = 0; i < 7; ++i) call("POST", kConfigMaps, configmap("c" + std::to_string(i)));
  const auto first = call("GET", std::string(kConfigMaps) + "?limit=3");
  ASSERT_EQ(first.body["items"].size(), 3u);
  EXPECT_EQ(first.body["metadata"]["remainingItemCount"], 4);
  std::vector<std::string> names;
  json page = first.body;
  while (true) {
    for (const auto& item : page["items"]) names.push_back(item["metadata"]["name"]);
    if (!page["metadata"].contains("continue")) break;
    page = call("GET", std::string(kConfigMaps) +
                           "?limit=3&continue=" + page["metadata"]["continue"].get<std::string>())
               .body;
  }
  EXPECT_EQ(names, (std::vector<std::string>{"c0", "c1", "c2", "c3", "c4", "c5", "c6"}));
}

TEST_F(ApiServerTest, SelectorsFilterLists) {
  call("POST", kConfigMaps, configmap("a", {{"labels", {{"app", "zk"}}}}));
  call("POST", kConfigMaps, configmap("b", {{"labels", {{"app", "web"}}}}));
  EXPECT_EQ(call("GET", std::string(kConfigMaps) + "?labelSelector=app=zk").body["items"].size(),
            1u);
  EXPECT_EQ(call("GET", std::string(kConfigMaps) + "?fieldSelector=metadata.name!=a")
                .body["items"][0]["metadata"]["name"],
            "b");
}

TEST_F(ApiServerTest, WatchReplaysFromAVersionAndExpiresOldOnes) {
  const json a = call("POST", kConfigMaps, configmap("a")).body;
  const std::string rv = a["metadata"]["resourceVersion"];
  call("PATCH", std::string(kConfigMaps) + "/a", {{"data", {{"k", "2"}}}},
       "application/merge-patch+json");
  auto replay = watch(std::string(kConfigMaps) + "?watch=1&resourceVersion=" + rv);
  ASSERT_EQ(replay.initial_lines.size(), 1u);
  EXPECT_EQ(json::parse(replay.initial_lines[0])["type"], "MODIFIED");
  // Push the window past `rv`: the history keeps 8 events.
  for (int i = 0; i < 10; ++i) call("POST", kConfigMaps, configmap("n" + std::to_string(i)));
  auto expired = watch(std::string(kConfigMaps) + "?watch=1&resourceVersion=" + rv);
  ASSERT_TRUE(expired.end_after_initial);
  const json error = json::parse(expired.initial_lines.at(0));
  EXPECT_EQ(error["type"], "ERROR");
  EXPECT_EQ(error["object"]["code"], 410);
  EXPECT_EQ(error["object"]["reason"], "Expired");
}

TEST_F(ApiServerTest, WatchTurnsSelectorExitsIntoDeleted) {
  call("POST", kConfigMaps, configmap("a", {{"labels", {{"app", "zk"}}}}));
  auto w =
      watch(std::string(kConfigMaps) + "?watch=1&labelSelector=app=zk&allowWatchBookmarks=true");
  ASSERT_EQ(w.initial_lines.size(), 1u);
  call("PATCH", std::string(kConfigMaps) + "/a", {{"metadata", {{"labels", {{"app", "web"}}}}}},
       "application/merge-patch+json");
  const auto batch = w.channel->wait(std::chrono::milliseconds(0));
  ASSERT_EQ(batch.events.size(), 1u);
  EXPECT_EQ(json::parse(*w.render(*batch.events[0]))["type"], "DELETED");
  EXPECT_EQ(json::parse(w.render_bookmark(batch.latest))["type"], "BOOKMARK");
}

TEST_F(ApiServerTest, InjectedFaultsFailTheNextMatchingRequests) {
  EXPECT_EQ(call("POST", "/sandbox/v1/faults",
                 {{"verb", "list"}, {"resource", "configmaps"}, {"count", 2}, {"code", 503}})
                .status,
            201);
  EXPECT_EQ(call("GET", kConfigMaps).status, 503);
  EXPECT_EQ(call("GET", std::string(kConfigMaps) + "/x").status, 404) << "get is not list";
  EXPECT_EQ(call("GET", kConfigMaps).body["reason"], "ServiceUnavailable");
  EXPECT_EQ(call("GET", kConfigMaps).status, 200);
  call("POST", "/sandbox/v1/faults", {{"verb", "*"}, {"code", 429}});
  const auto throttled = call("GET", kConfigMaps);
  EXPECT_EQ(throttled.status, 429);
  EXPECT_EQ(throttled.headers.at(0).first, "Retry-After");
}

TEST_F(ApiServerTest, CompactExpiresEveryOlderVersion) {
  const json a = call("POST", kConfigMaps, configmap("a")).body;
  call("POST", kConfigMaps, configmap("b"));
  auto before = watch(std::string(kConfigMaps) + "?watch=1&resourceVersion=" +
                      a["metadata"]["resourceVersion"].get<std::string>());
  EXPECT_FALSE(before.end_after_initial);
  call("POST", "/sandbox/v1/compact");
  auto w = watch(std::string(kConfigMaps) +
                 "?watch=1&resourceVersion=" + a["metadata"]["resourceVersion"].get<std::string>());
  EXPECT_TRUE(w.end_after_initial);
}

TEST_F(ApiServerTest, DiscoveryListsSubresourcesOfCustomResources) {
  create_crd();
  const auto list = call("GET", "/apis/test.zkop.io/v1alpha1");
  std::vector<std::string> names;
  for (const auto& r : list.body["resources"]) names.push_back(r["name"]);
  EXPECT_EQ(names, (std::vector<std::string>{"widgets", "widgets/status", "widgets/scale"}));
  const auto groups = call("GET", "/apis");
  bool found = false;
  for (const auto& g : groups.body["groups"]) found = found || g["name"] == "test.zkop.io";
  EXPECT_TRUE(found);
  const auto root = call("GET", "/openapi/v3");
  ASSERT_TRUE(root.body["paths"].contains("apis/test.zkop.io/v1alpha1"));
  const auto doc = call("GET", "/openapi/v3/apis/test.zkop.io/v1alpha1");
  const json& patch_op =
      doc.body["paths"]["/apis/test.zkop.io/v1alpha1/namespaces/{namespace}/widgets/{name}"]
              ["patch"];
  bool field_validation = false;
  for (const auto& p : patch_op["parameters"])
    field_validation = field_validation || p["name"] == "fieldValidation";
  EXPECT_TRUE(field_validation);
  EXPECT_EQ(doc.body["components"]["schemas"]["io.zkop.test.v1alpha1.Widget"]
                    ["x-kubernetes-group-version-kind"][0]["kind"],
            "Widget");
}

TEST_F(ApiServerTest, OpenApiV2IsServedAsProtobufOnRequest) {
  create_crd();
  ApiRequest r;
  r.method = "GET";
  r.path = "/openapi/v2";
  r.accept = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";
  r.authorization = "Bearer secret";
  const ApiResult result = api_.handle(r);
  const auto& response = std::get<ApiResponse>(result);
  EXPECT_EQ(response.content_type, "application/com.github.proto-openapi.spec.v2.v1.0+protobuf");
  // Field 1 (swagger, length-delimited) = "2.0".
  EXPECT_EQ(response.body.substr(0, 5), std::string("\x0a\x03"
                                                    "2.0",
                                                    5));
  EXPECT_NE(response.body.find("io.zkop.test.v1alpha1.Widget"), std::string::npos);
  EXPECT_NE(response.body.find("x-kubernetes-group-version-kind"), std::string::npos);
  EXPECT_EQ(response.body.find("io.k8s.api.core.v1.Pod"), std::string::npos);
  const auto as_json = call("GET", "/openapi/v2");
  EXPECT_EQ(as_json.body["swagger"], "2.0");
}

TEST_F(ApiServerTest, DeletingACrdRemovesItsResources) {
  create_crd();
  call("POST", kWidgets, widget("w", {{"image", "zk"}}));
  call("DELETE", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.test.zkop.io");
  EXPECT_EQ(call("GET", "/apis/test.zkop.io/v1alpha1").status, 404);
  EXPECT_EQ(call("GET", std::string(kWidgets) + "/w").status, 404);
}

TEST_F(ApiServerTest, PodsOnANodeWaitTheirGracePeriodForTheKubelet) {
  const std::string pods = "/api/v1/namespaces/default/pods";
  const json pod = {
      {"apiVersion", "v1"},
      {"kind", "Pod"},
      {"metadata", {{"name", "p"}}},
      {"spec", {{"nodeName", "node-1"}, {"containers", {{{"name", "c"}, {"image", "i"}}}}}}};
  ASSERT_EQ(call("POST", pods, pod).status, 201);
  const auto deleting = call("DELETE", pods + "/p");
  EXPECT_EQ(deleting.body["metadata"]["deletionGracePeriodSeconds"], 30);
  EXPECT_EQ(deleting.body["metadata"]["deletionTimestamp"], "2026-01-01T00:00:30Z");
  EXPECT_EQ(call("GET", pods + "/p").status, 200);
  // The kubelet confirms the stop with a zero grace period.
  call("DELETE", pods + "/p", {{"gracePeriodSeconds", 0}});
  EXPECT_EQ(call("GET", pods + "/p").status, 404);
  // An unbound pod has no kubelet to wait for.
  json unbound = pod;
  unbound["spec"].erase("nodeName");
  call("POST", pods, unbound);
  call("DELETE", pods + "/p");
  EXPECT_EQ(call("GET", pods + "/p").status, 404);
}

TEST_F(ApiServerTest, MalformedCrdsAreRefused) {
  const json crd = {
      {"apiVersion", "apiextensions.k8s.io/v1"},
      {"kind", "CustomResourceDefinition"},
      {"metadata", {{"name", "things.example.io"}}},
      {"spec", {{"group", "example.io"}, {"scope", "Namespaced"}, {"names", {{"kind", "Thing"}}}}}};
  const auto refused = call("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd);
  EXPECT_EQ(refused.status, 422);
  EXPECT_EQ(refused.body["details"]["causes"][0]["field"], "spec.names.plural");
  EXPECT_EQ(call("GET", "/apis").status, 200);
}

TEST_F(ApiServerTest, InvalidNamesAreRefused) {
  const auto bad = call("POST", kConfigMaps, configmap("Not_Valid"));
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(bad.body["details"]["causes"][0]["field"], "metadata.name");
  EXPECT_EQ(call("POST", "/api/v1/namespaces",
                 {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", "a.b"}}}})
                .status,
            422);
}

TEST_F(ApiServerTest, ServerSideApplyCreatesThenMerges) {
  create_crd();
  const std::string url = std::string(kWidgets) + "/w?fieldManager=test&force=true";
  const auto created =
      call("PATCH", url, widget("w", {{"image", "zk:1"}}), "application/apply-patch+yaml");
  EXPECT_EQ(created.status, 201) << created.body;
  const auto applied =
      call("PATCH", url, widget("w", {{"image", "zk:2"}}), "application/apply-patch+yaml");
  EXPECT_EQ(applied.status, 200);
  EXPECT_EQ(applied.body["spec"]["image"], "zk:2");
  EXPECT_EQ(applied.body["metadata"]["generation"], 2);
}

}  // namespace
}  // namespace zkop::sandbox
