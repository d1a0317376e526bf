// Issue 5's "Done when", end to end: a zkop-sandbox process (API server, StatefulSet
// controller, kubelet) driven by the real kubectl. Hand-written manifests (not rendered by the
// operator) run Debian's ZooKeeper; lighter pods (a shell loop) check the StatefulSet update
// strategies. Every wait is on evidence, with deadlines generous enough for JVMs on two loaded
// cores, and every failure prints what the sandbox showed.

#include <signal.h>
#include <unistd.h>
#include <zookeeper/zookeeper.h>

#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <vector>

#include "controllers/observe/server_stats.h"
#include "operator/zookeeper/four_letter_words.h"
#include "operator/zookeeper/session.h"
#include "tests/sandbox_node/sandbox_process.h"

namespace zkop::sandbox::testing {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using observe::ServerMode;

bool haveKubectl() { return run("kubectl version --client").ok(); }

// A token in every JVM's command line, unique per test process, to find our processes
// among those of other tests and sandboxes running on the machine.
std::string processToken(const std::string& test) {
  return "zkop-e2e-" + test + "-" + std::to_string(::getpid());
}

std::string zookeeperManifest(int replicas, const std::string& token,
                              const std::string& updateStrategy = "OnDelete") {
  std::ostringstream y;
  y << R"(apiVersion: v1
kind: Service
metadata:
  name: zk-hs
spec:
  clusterIP: None
  publishNotReadyAddresses: true
  selector: {app: zk}
  ports: [{name: client, port: 2181}, {name: quorum, port: 2888}, {name: election, port: 3888}]
---
apiVersion: v1
kind: Service
metadata:
  name: zk-client
spec:
  selector: {app: zk}
  ports: [{name: client, port: 2181}]
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: zk-scripts
data:
  start.sh: |
    #!/bin/bash
    # One member of a static ensemble: myid from the ordinal, peers by their stable names.
    set -eu
    ordinal=${HOSTNAME##*-}
    mkdir -p /data
    [ -f /data/myid ] || echo $((ordinal + 1)) > /data/myid
    cfg=/tmp/zoo.cfg
    {
      echo tickTime=2000
      echo initLimit=15
      echo syncLimit=5
      echo dataDir=/data
      echo clientPort=2181
      echo clientPortAddress=$POD_IP
      echo 4lw.commands.whitelist=*
      echo admin.enableServer=false
      for i in $(seq 0 $((REPLICAS - 1))); do
        echo "server.$((i + 1))=zk-$i.zk-hs.$POD_NAMESPACE.svc.cluster.local:2888:3888"
      done
    } > $cfg
    exec java -Xmx128m -Xms16m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dzkop.test=$TEST_TOKEN \
      -cp /usr/share/java/zookeeper.jar:/usr/share/java/slf4j-simple.jar \
      org.apache.zookeeper.server.quorum.QuorumPeerMain $cfg
  ready.sh: |
    #!/bin/bash
    # Ready when serving: srvr names a mode (a member without quorum answers without one).
    exec 3<>/dev/tcp/$(hostname)/2181 || exit 1
    echo srvr >&3
    grep -q '^Mode: ' <&3
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: zk
spec:
  serviceName: zk-hs
  replicas: )"
    << replicas << R"(
  podManagementPolicy: Parallel
  updateStrategy: {type: )"
    << updateStrategy << R"(}
  selector:
    matchLabels: {app: zk}
  template:
    metadata:
      labels: {app: zk}
    spec:
      terminationGracePeriodSeconds: 10
      containers:
        - name: zookeeper
          image: zookeeper:3.8.0
          command: ["/bin/bash", "/scripts/start.sh"]
          env:
            - {name: REPLICAS, value: ")"
    << replicas << R"("}
            - {name: TEST_TOKEN, value: ")"
    << token << R"("}
            - name: POD_IP
              valueFrom: {fieldRef: {fieldPath: status.podIP}}
            - name: POD_NAMESPACE
              valueFrom: {fieldRef: {fieldPath: metadata.namespace}}
          readinessProbe:
            exec: {command: ["/bin/bash", "/scripts/ready.sh"]}
            initialDelaySeconds: 2
            periodSeconds: 3
            timeoutSeconds: 5
            failureThreshold: 3
          livenessProbe:
            tcpSocket: {port: 2181}
            initialDelaySeconds: 60
            periodSeconds: 10
            timeoutSeconds: 5
            failureThreshold: 6
          volumeMounts:
            - {name: scripts, mountPath: /scripts}
            - {name: data, mountPath: /data}
      volumes:
        - name: scripts
          configMap: {name: zk-scripts, defaultMode: 0755}
  volumeClaimTemplates:
    - metadata: {name: data}
      spec:
        accessModes: [ReadWriteOnce]
        resources: {requests: {storage: 1Gi}}
)";
  return y.str();
}

// Light pods for the update strategies: a shell that waits for SIGTERM, always ready.
std::string sleeperManifest(int replicas, const std::string& strategy, const std::string& token) {
  std::ostringstream y;
  y << R"(apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: web
  replicas: )"
    << replicas << R"(
  updateStrategy: )"
    << strategy << R"(
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      terminationGracePeriodSeconds: 5
      containers:
        - name: app
          image: sleeper:1
          command: ["/bin/bash", "-c", "trap 'exit 0' TERM; echo started >> /data/runs; while true; do sleep 0.2; done # )"
    << token << R"("]
          volumeMounts: [{name: data, mountPath: /data}]
          env: [{name: VERSION, value: "1"}]
          readinessProbe:
            exec: {command: ["/bin/true"]}
            periodSeconds: 1
  volumeClaimTemplates:
    - metadata: {name: data}
      spec:
        accessModes: [ReadWriteOnce]
        resources: {requests: {storage: 1Gi}}
)";
  return y.str();
}

class SandboxE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(::geteuid(), 0u) << "the sandbox node needs root (mount namespaces); CI runs as root";
    ASSERT_TRUE(haveKubectl()) << "no kubectl on PATH: scripts/install-deps.sh installs it";
    const std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    token_ = processToken(name);
    sandbox_ = std::make_unique<SandboxProcess>(name);
    std::string why;
    ASSERT_TRUE(sandbox_->start(why)) << why;
  }

  void TearDown() override {
    if (sandbox_ && HasFailure()) std::cerr << sandbox_->describe() << "\n";
  }

  std::string get(const std::string& what, const std::string& path) const {
    return sandbox_->jsonpath(what, path);
  }

  bool setReady(const std::string& set, int replicas) const {
    return get("sts " + set, "{.status.readyReplicas}") == std::to_string(replicas) &&
           get("sts " + set, "{.status.replicas}") == std::to_string(replicas);
  }

  std::string podIP(const std::string& pod) const { return get("pod " + pod, "{.status.podIP}"); }
  std::string uid(const std::string& pod) const { return get("pod " + pod, "{.metadata.uid}"); }

  ServerMode mode(const std::string& pod) const {
    const auto ip = podIP(pod);
    if (ip.empty()) return ServerMode::NotServing;
    auto answer = zookeeper::askFourLetterWord(ip, 2181, "srvr", 3s);
    return answer ? observe::parseSrvr(*answer).mode : ServerMode::NotServing;
  }

  std::string modes(int replicas) const {
    std::string out;
    for (int i = 0; i < replicas; ++i) {
      const auto pod = "zk-" + std::to_string(i);
      out += pod + "@" + podIP(pod) + "=" + std::string(observe::modeName(mode(pod))) + " ";
    }
    return out;
  }

  bool oneLeader(int replicas) const {
    int leaders = 0, followers = 0;
    for (int i = 0; i < replicas; ++i) {
      const auto m = mode("zk-" + std::to_string(i));
      leaders += m == ServerMode::Leader;
      followers += m == ServerMode::Follower;
    }
    return leaders == 1 && followers == replicas - 1;
  }

  std::unique_ptr<zookeeper::Session> connect(const std::string& pod) const {
    zookeeper::SessionConfig config;
    config.connectString = podIP(pod) + ":2181";
    config.connectTimeout = 30s;
    auto session = zookeeper::Session::connect(config);
    return session ? std::move(*session) : nullptr;
  }

  std::optional<std::string> read(const std::string& pod, const std::string& path) const {
    auto session = connect(pod);
    if (!session) return std::nullopt;
    // A member that just joined may lag the leader: sync first, as a client wanting the
    // latest write does.
    std::array<char, 256> buffer{};
    int length = static_cast<int>(buffer.size());
    for (int attempt = 0; attempt < 20; ++attempt) {
      length = static_cast<int>(buffer.size());
      if (zoo_get(session->handle(), path.c_str(), 0, buffer.data(), &length, nullptr) == ZOK) {
        return std::string(buffer.data(), static_cast<size_t>(std::max(length, 0)));
      }
      std::this_thread::sleep_for(500ms);
    }
    return std::nullopt;
  }

  std::string token_;
  std::unique_ptr<SandboxProcess> sandbox_;
};

TEST_F(SandboxE2E, ThreeZooKeeperPodsFormAnEnsembleAndADeletedPodRejoinsWithItsData) {
  ASSERT_TRUE(sandbox_->apply(zookeeperManifest(3, token_)).ok());
  ASSERT_TRUE(
      waitFor([&] { return get("pods", "{.items[*].metadata.name}") == "zk-0 zk-1 zk-2"; }, 60s));
  const auto waited = sandbox_->kubectl("wait --for=condition=Ready pod -l app=zk --timeout=300s");
  ASSERT_TRUE(waited.ok()) << waited.output;
  ASSERT_TRUE(waitFor([&] { return setReady("zk", 3); }, 300s)) << "statefulset not ready";
  ASSERT_TRUE(waitFor([&] { return oneLeader(3); }, 120s)) << modes(3);

  // Pods as Kubernetes shows them: identity, IPs of their own, claims bound.
  for (int i = 0; i < 3; ++i) {
    const auto pod = "zk-" + std::to_string(i);
    EXPECT_EQ(get("pod " + pod, "{.spec.hostname}.{.spec.subdomain}"), pod + ".zk-hs");
    EXPECT_EQ(podIP(pod).rfind("127.", 0), 0u) << pod;
    EXPECT_EQ(get("pod " + pod, "{.status.containerStatuses[0].restartCount}"), "0");
    EXPECT_EQ(get("pvc data-" + pod, "{.status.phase}"), "Bound");
  }
  EXPECT_NE(podIP("zk-0"), podIP("zk-1"));

  // A write through one member reads back through another.
  {
    auto session = connect("zk-0");
    ASSERT_TRUE(session) << modes(3);
    const std::string payload = "written-through-zk-0";
    ASSERT_EQ(zoo_create(session->handle(), "/e2e", payload.data(),
                         static_cast<int>(payload.size()), &ZOO_OPEN_ACL_UNSAFE, 0, nullptr, 0),
              ZOK);
  }
  EXPECT_EQ(read("zk-2", "/e2e").value_or("<none>"), "written-through-zk-0");

  // Deleting a pod brings it back (same name, new uid, maybe a new IP) on its claim's data.
  const auto oldUid = uid("zk-1");
  ASSERT_TRUE(sandbox_->kubectl("delete pod zk-1 --wait=false").ok());
  ASSERT_TRUE(waitFor(
      [&] {
        const auto u = uid("zk-1");
        return !u.empty() && u != oldUid;
      },
      120s))
      << "zk-1 was not recreated";
  ASSERT_TRUE(waitFor([&] { return setReady("zk", 3); }, 300s)) << "not ready after deletion";
  ASSERT_TRUE(waitFor([&] { return oneLeader(3); }, 120s)) << modes(3);
  EXPECT_EQ(slurp(sandbox_->dir() / "node" / "claims" / "default" / "data-zk-1" / "myid"), "2\n");
  EXPECT_EQ(read("zk-1", "/e2e").value_or("<none>"), "written-through-zk-0")
      << "the recreated member serves the data";

  // Stopping the sandbox (SIGTERM) leaves none of its pods running.
  sandbox_->stop(SIGTERM);
  EXPECT_TRUE(waitFor([&] { return processesWith(token_).empty(); }, 30s));
}

TEST_F(SandboxE2E, SigkillOfTheSandboxLeavesNoZooKeeperProcess) {
  ASSERT_TRUE(sandbox_->apply(zookeeperManifest(1, token_)).ok());
  ASSERT_TRUE(waitFor([&] { return setReady("zk", 1); }, 300s));
  ASSERT_FALSE(processesWith(token_).empty()) << "the JVM runs with the test's token";
  sandbox_->stop(SIGKILL);
  EXPECT_TRUE(waitFor([&] { return processesWith(token_).empty(); }, 30s))
      << "left behind: " << processesWith(token_).size() << " processes";
}

TEST_F(SandboxE2E, FiveZooKeeperPodsRunTogetherWithoutProbeFlapping) {
  ASSERT_TRUE(sandbox_->apply(zookeeperManifest(5, token_)).ok());
  ASSERT_TRUE(waitFor([&] { return setReady("zk", 5); }, 480s)) << "statefulset not ready";
  ASSERT_TRUE(waitFor([&] { return oneLeader(5); }, 120s)) << modes(5);
  // A minute of steady state: every pod stays ready, nothing restarts.
  const auto readySince =
      get("pods", "{.items[*].status.conditions[?(@.type==\"Ready\")].lastTransitionTime}");
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (std::chrono::steady_clock::now() < deadline) {
    ASSERT_TRUE(setReady("zk", 5)) << "a pod left readiness";
    std::this_thread::sleep_for(3s);
  }
  EXPECT_EQ(get("pods", "{.items[*].status.conditions[?(@.type==\"Ready\")].lastTransitionTime}"),
            readySince)
      << "readiness flapped";
  EXPECT_EQ(get("pods", "{.items[*].status.containerStatuses[0].restartCount}"), "0 0 0 0 0");
  EXPECT_TRUE(oneLeader(5)) << modes(5);
}

// --- Update strategies, with light pods --------------------------------------------------

class UpdateStrategies : public SandboxE2E {
 protected:
  std::string revision(const std::string& pod) const {
    return get("pod " + pod, "{.metadata.labels.controller-revision-hash}");
  }
  std::string updateRevision() const { return get("sts web", "{.status.updateRevision}"); }
  bool allAt(const std::string& rev, int replicas) const {
    for (int i = 0; i < replicas; ++i) {
      if (revision("web-" + std::to_string(i)) != rev) return false;
    }
    return true;
  }
  void bumpVersion(const std::string& version) {
    ASSERT_TRUE(
        sandbox_
            ->kubectl(
                R"(patch sts web --type=json -p '[{"op":"replace","path":"/spec/template/spec/containers/0/env/0/value","value":")" +
                version + R"("}]')")
            .ok());
  }
};

TEST_F(UpdateStrategies, RollingUpdateWithPartitionReplacesHighestOrdinalsFirst) {
  ASSERT_TRUE(sandbox_
                  ->apply(sleeperManifest(3, "{type: RollingUpdate, rollingUpdate: {partition: 2}}",
                                          token_))
                  .ok());
  ASSERT_TRUE(waitFor([&] { return setReady("web", 3); }, 120s));
  const auto oldRevision = get("sts web", "{.status.currentRevision}");
  const std::string oldUids[] = {uid("web-0"), uid("web-1"), uid("web-2")};

  bumpVersion("2");
  ASSERT_TRUE(waitFor(
      [&] {
        return updateRevision() != oldRevision && revision("web-2") == updateRevision() &&
               setReady("web", 3);
      },
      120s));
  const auto newRevision = updateRevision();
  // The partition holds: ordinals below 2 keep the old revision, and their pods.
  std::this_thread::sleep_for(3s);
  EXPECT_EQ(revision("web-1"), oldRevision);
  EXPECT_EQ(revision("web-0"), oldRevision);
  EXPECT_EQ(uid("web-0"), oldUids[0]);
  EXPECT_EQ(get("sts web", "{.status.updatedReplicas}"), "1");
  EXPECT_EQ(get("sts web", "{.status.currentRevision}"), oldRevision);

  // Partition 0: the rest roll, highest ordinal first, each after its successor is ready.
  ASSERT_TRUE(
      sandbox_
          ->kubectl(
              R"(patch sts web --type=merge -p '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":0}}}}')")
          .ok());
  ASSERT_TRUE(waitFor([&] { return allAt(newRevision, 3) && setReady("web", 3); }, 120s));
  const auto created = [&](const std::string& pod) {
    return get("pod " + pod, "{.metadata.creationTimestamp}");
  };
  EXPECT_LE(created("web-2"), created("web-1"));
  EXPECT_LE(created("web-1"), created("web-0"));
  ASSERT_TRUE(
      waitFor([&] { return get("sts web", "{.status.currentRevision}") == newRevision; }, 30s));
  EXPECT_EQ(get("sts web", "{.status.updatedReplicas}"), "3");
  EXPECT_EQ(get("pod web-0", "{.spec.containers[0].env[0].value}"), "2");
  const auto rollout = sandbox_->kubectl("rollout status sts/web --timeout=60s");
  EXPECT_TRUE(rollout.ok()) << rollout.output;
}

TEST_F(UpdateStrategies, OnDeleteReplacesOnlyDeletedPods) {
  ASSERT_TRUE(sandbox_->apply(sleeperManifest(2, "{type: OnDelete}", token_)).ok());
  ASSERT_TRUE(waitFor([&] { return setReady("web", 2); }, 120s));
  const auto oldRevision = get("sts web", "{.status.currentRevision}");
  const auto uid0 = uid("web-0");
  bumpVersion("2");
  ASSERT_TRUE(
      waitFor([&] { return !updateRevision().empty() && updateRevision() != oldRevision; }, 30s));
  std::this_thread::sleep_for(5s);
  EXPECT_EQ(uid("web-0"), uid0) << "OnDelete must not replace pods by itself";
  EXPECT_TRUE(allAt(oldRevision, 2));

  ASSERT_TRUE(sandbox_->kubectl("delete pod web-1 --wait=false").ok());
  ASSERT_TRUE(
      waitFor([&] { return revision("web-1") == updateRevision() && setReady("web", 2); }, 120s));
  EXPECT_EQ(revision("web-0"), oldRevision);
  EXPECT_EQ(uid("web-0"), uid0);
  EXPECT_EQ(get("sts web", "{.status.updatedReplicas}"), "1");
}

TEST_F(UpdateStrategies, ScaleDownRemovesHighestOrdinalsAndGracefulDeletionStopsTheProcess) {
  ASSERT_TRUE(sandbox_->apply(sleeperManifest(3, "{type: RollingUpdate}", token_)).ok());
  ASSERT_TRUE(waitFor([&] { return setReady("web", 3); }, 120s));
  ASSERT_EQ(processesWith(token_).size() >= 3, true);
  ASSERT_TRUE(sandbox_->kubectl("scale sts web --replicas=1").ok());
  ASSERT_TRUE(waitFor([&] { return get("pods", "{.items[*].metadata.name}") == "web-0"; }, 120s));
  EXPECT_TRUE(setReady("web", 1) || waitFor([&] { return setReady("web", 1); }, 30s));
  // The deleted pods' shells are gone (SIGTERM honoured), web-0's remains.
  EXPECT_TRUE(waitFor(
      [&] { return processesWith(token_).size() >= 1 && processesWith(token_).size() <= 2; }, 30s))
      << processesWith(token_).size();
}

// Process state letter from /proc/<pid>/stat ('T' when stopped).
char processState(int pid) {
  const auto stat = slurp("/proc/" + std::to_string(pid) + "/stat");
  const auto paren = stat.rfind(')');
  return paren == std::string::npos || paren + 2 >= stat.size() ? '?' : stat[paren + 2];
}

TEST_F(UpdateStrategies, FaultsKillFreezeAndWipeThroughAnnotations) {
  ASSERT_TRUE(sandbox_->apply(sleeperManifest(1, "{type: RollingUpdate}", token_)).ok());
  ASSERT_TRUE(waitFor([&] { return setReady("web", 1); }, 120s));
  const auto claimDir = sandbox_->dir() / "node" / "claims" / "default" / "data-web-0";
  ASSERT_TRUE(waitFor([&] { return slurp(claimDir / "runs") == "started\n"; }, 30s));

  // kill: the container restarts (restartPolicy Always), on the same claim, with a previous log.
  ASSERT_TRUE(sandbox_->kubectl("annotate pod web-0 sandbox.zkop.io/kill=1").ok());
  ASSERT_TRUE(waitFor(
      [&] {
        return get("pod web-0", "{.status.containerStatuses[0].restartCount}") == "1" &&
               setReady("web", 1);
      },
      60s));
  EXPECT_EQ(slurp(claimDir / "runs"), "started\nstarted\n");
  EXPECT_TRUE(fs::exists(sandbox_->dir() / "node" / "logs" / "default" / "web-0" / "app.log"));
  EXPECT_TRUE(
      fs::exists(sandbox_->dir() / "node" / "logs" / "default" / "web-0" / "app.previous.log"));

  // freeze / thaw: the container's processes stop and continue.
  const auto shells = processesWith(token_);
  ASSERT_FALSE(shells.empty());
  const int shell = *shells.begin();
  ASSERT_TRUE(sandbox_->kubectl("annotate pod web-0 sandbox.zkop.io/freeze=true").ok());
  EXPECT_TRUE(waitFor([&] { return processState(shell) == 'T'; }, 30s));
  ASSERT_TRUE(
      sandbox_->kubectl("annotate pod web-0 sandbox.zkop.io/freeze=false --overwrite").ok());
  EXPECT_TRUE(waitFor([&] { return processState(shell) != 'T'; }, 30s));

  // wipe: the claim's data is gone, the directory stays.
  ASSERT_TRUE(sandbox_->kubectl("annotate pvc data-web-0 sandbox.zkop.io/wipe=1").ok());
  EXPECT_TRUE(waitFor([&] { return !fs::exists(claimDir / "runs"); }, 30s));
  EXPECT_TRUE(fs::is_directory(claimDir));
}

}  // namespace
}  // namespace zkop::sandbox::testing

namespace zkop::sandbox::testing {
namespace {

TEST_F(UpdateStrategies, ASandboxRestartedAfterSigkillStartsItsPodsAgainOnTheirClaims) {
  ASSERT_TRUE(sandbox_->apply(sleeperManifest(2, "{type: RollingUpdate}", token_)).ok());
  ASSERT_TRUE(waitFor([&] { return setReady("web", 2); }, 120s));
  const auto claimDir = sandbox_->dir() / "node" / "claims" / "default" / "data-web-1";
  ASSERT_TRUE(waitFor([&] { return slurp(claimDir / "runs") == "started\n"; }, 30s));

  // A node losing power: every pod process dies with the sandbox.
  sandbox_->stop(SIGKILL);
  ASSERT_TRUE(waitFor([&] { return processesWith(token_).empty(); }, 30s));

  // The next `up` on the same state dir resumes the objects and runs the pods again.
  std::string why;
  ASSERT_TRUE(sandbox_->start(why)) << why;
  ASSERT_TRUE(waitFor([&] { return slurp(claimDir / "runs") == "started\nstarted\n"; }, 120s));
  ASSERT_TRUE(
      waitFor([&] { return setReady("web", 2) && processesWith(token_).size() == 2; }, 120s));
}

}  // namespace
}  // namespace zkop::sandbox::testing
