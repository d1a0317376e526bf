// The engine running real processes: isolation and mounts, probes, restarts, termination,
// faults and orphans. Every wait is on evidence (files the pod wrote, status, /proc), with
// generous deadlines, and failures print the pod's status, events and logs.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>

#include "e2e/kubelet/container_process.h"
#include "e2e/kubelet/faults.h"
#include "e2e/kubelet/projected_files.h"
#include "tests/kubelet/kubelet_test_support.h"

namespace zkop::sandbox::kubelet {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::describe;
using testing::MiniSandbox;
using testing::slurp;
using testing::waitFor;

Json shellContainer(const std::string& script) {
  return {{"name", "main"}, {"command", Json::array({"/bin/sh", "-c", script})}};
}

Json makePod(const std::string& name, Json container, Json spec = Json::object()) {
  spec["containers"] = Json::array({std::move(container)});
  if (!spec.contains("terminationGracePeriodSeconds")) spec["terminationGracePeriodSeconds"] = 2;
  return {{"metadata", {{"name", name}, {"namespace", "kt"}, {"uid", "uid-" + name}}},
          {"spec", spec}};
}

const BackoffPolicy kFastBackoff{200ms, 1s, 60s};

TEST(PodRunner, TrivialPodIsIsolatedAndSeesItsVolumes) {
  MiniSandbox sandbox("trivial");
  const auto mountsBefore = testing::hostMounts();
  const auto scratch = sandbox.emptyDir("trivial", "scratch");
  const auto config = sandbox.dir() / "volumes" / "trivial" / "config";
  ASSERT_TRUE(writeProjectedFiles(config, {{"greeting", "hello from a configmap\n"}}));
  const std::string marker = "zkop-kubelet-trivial-" + std::to_string(::getpid());

  auto container = shellContainer(
      "out=/scratch/out; "
      "echo \"hostname=$(hostname)\" > $out; "
      "echo \"greeting=$(cat /config/greeting)\" >> $out; "
      "echo \"pwd=$(pwd)\" >> $out; "
      "echo \"ip=$POD_IP name=$POD_NAME ns=$POD_NAMESPACE\" >> $out; "
      "echo \"pid=$$$$\" >> $out; "  // $$ escapes $ in commands, as in Kubernetes
      "echo \"uid=$(id -u)\" >> $out; "
      "touch /tmp/" +
      marker + " /" + marker +
      " && echo tmp-ok >> $out; "
      "touch /config/x 2>/dev/null && echo config-writable >> $out; "
      "touch /usr/" +
      marker +
      " 2>/dev/null && echo usr-writable >> $out; "
      "touch /etc/" +
      marker +
      " 2>/dev/null && echo etc-writable >> $out; "
      "cat /etc/hosts > /scratch/hosts; "
      "echo done >> $out; exec sleep 600");
  container["workingDir"] = "/work/dir";
  container["env"] = Json::parse(R"([
      {"name": "POD_IP", "valueFrom": {"fieldRef": {"fieldPath": "status.podIP"}}},
      {"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
      {"name": "POD_NAMESPACE", "valueFrom": {"fieldRef": {"fieldPath": "metadata.namespace"}}}])");
  container["volumeMounts"] = Json::parse(R"([
      {"name": "scratch", "mountPath": "/scratch"},
      {"name": "config", "mountPath": "/config", "readOnly": true}])");
  const Json pod = makePod("trivial", container, {{"hostname", "triv-0"}, {"subdomain", "triv"}});
  auto runner = sandbox.run(pod, {{"scratch", {scratch, false}}, {"config", {config, true}}});

  ASSERT_TRUE(
      waitFor([&] { return slurp(scratch / "out").find("done") != std::string::npos; }, 60s))
      << describe(*runner, pod) << "\nout:\n"
      << slurp(scratch / "out");
  const auto out = slurp(scratch / "out");
  const auto ip = runner->podIP();
  EXPECT_NE(out.find("hostname=triv-0\n"), std::string::npos) << out;
  EXPECT_NE(out.find("greeting=hello from a configmap\n"), std::string::npos) << out;
  EXPECT_NE(out.find("pwd=/work/dir\n"), std::string::npos) << out;
  EXPECT_NE(out.find("ip=" + ip + " name=trivial ns=kt\n"), std::string::npos) << out;
  EXPECT_NE(out.find("pid=1\n"), std::string::npos) << "PID 1 of its own namespace: " << out;
  EXPECT_NE(out.find("uid=0\n"), std::string::npos) << out;
  EXPECT_NE(out.find("tmp-ok"), std::string::npos) << out;
  EXPECT_EQ(out.find("writable"), std::string::npos) << "read-only mounts: " << out;
  const auto hosts = slurp(scratch / "hosts");
  EXPECT_NE(hosts.find(ip + "\ttriv-0.triv.kt.svc.cluster.local\ttriv-0"), std::string::npos)
      << hosts;
  EXPECT_EQ(hosts, slurp(sandbox.hosts().path())) << "the pod sees the sandbox's hosts file";

  EXPECT_TRUE(waitFor([&] { return runner->status().ready; }, 30s)) << describe(*runner, pod);
  EXPECT_EQ(runner->status().phase, "Running");

  // Nothing outside the state dir: the marker files went to the pod's own tmpfs, and the
  // host's mount table is as before.
  EXPECT_FALSE(fs::exists("/tmp/" + marker));
  EXPECT_FALSE(fs::exists("/" + marker));
  EXPECT_FALSE(fs::exists("/usr/" + marker));
  EXPECT_EQ(testing::hostMounts(), mountsBefore);
  EXPECT_TRUE(fs::is_empty(sandbox.dir() / "pods" / "uid-trivial" / "rootfs" / "main"))
      << "the root is a tmpfs in the pod's namespace, its mount point stays empty";

  // The hosts file is live inside the pod: a pod added later is visible at once.
  ASSERT_TRUE(sandbox.hosts().setPod("uid-later", {"127.9.9.9", "later", "triv", "kt"}));
  const auto pid = runner->status().containers.at(0).pid;
  ASSERT_GT(pid, 0);
  // Looked at from inside, as an exec probe does: the container's root, hostname and files.
  auto inside = execInContainer(
      pid, ExecRequest{{"/bin/sh", "-c", "hostname; cat /etc/hosts; ls /scratch"}, {}, "/", {}},
      10s);
  ASSERT_TRUE(inside) << inside.error().message();
  EXPECT_EQ(inside->status.exitCode, 0) << inside->output;
  EXPECT_TRUE(inside->output.starts_with("triv-0\n")) << inside->output;
  EXPECT_NE(inside->output.find("127.9.9.9\tlater.triv.kt.svc.cluster.local"), std::string::npos)
      << inside->output;
  EXPECT_NE(inside->output.find("out"), std::string::npos) << inside->output;
  sandbox.remove(runner, pod);
  EXPECT_EQ(testing::hostMounts(), mountsBefore);
}

TEST(PodRunner, RunsAsTheSecurityContextUserWithFsGroupOnVolumes) {
  MiniSandbox sandbox("security");
  const auto data = sandbox.emptyDir("sec", "data");
  std::ofstream(data / "existing") << "x";
  auto container = shellContainer(
      "id -u > /data/uid; id -g > /data/gid; echo hi > /data/existing && echo ok > /data/wrote;"
      " exec sleep 600");
  container["volumeMounts"] = Json::parse(R"([{"name": "data", "mountPath": "/data"}])");
  const Json pod = makePod(
      "sec", container,
      {{"securityContext",
        {{"runAsUser", 1000}, {"runAsGroup", 1000}, {"fsGroup", 1000}, {"runAsNonRoot", true}}}});
  auto runner = sandbox.run(pod, {{"data", {data, false}}});
  ASSERT_TRUE(waitFor([&] { return fs::exists(data / "wrote"); }, 60s)) << describe(*runner, pod);
  EXPECT_EQ(slurp(data / "uid"), "1000\n");
  EXPECT_EQ(slurp(data / "gid"), "1000\n");
}

TEST(PodRunner, ExecTcpAndHttpReadinessAndFreezeThaw) {
  MiniSandbox sandbox("readiness");
  const auto scratch = sandbox.emptyDir("ready", "scratch");
  // Ready only once /scratch/go exists (exec probe) and the HTTP server answers (tcp, http).
  auto container = shellContainer(
      "while [ ! -f /scratch/go ]; do sleep 0.2; done; "
      "exec python3 -m http.server --bind \"$POD_IP\" \"$PORT\" --directory /scratch");
  container["env"] = Json::parse(
      R"([{"name": "POD_IP", "valueFrom": {"fieldRef": {"fieldPath": "status.podIP"}}}])");
  // Pods share the host's network: a wildcard listener on the host (another program's
  // :8080) would answer on every pod IP. A port free on the wildcard address avoids that.
  const int port = testing::freeWildcardPort();
  container["env"].push_back({{"name", "PORT"}, {"value", std::to_string(port)}});
  container["ports"] = Json::array({{{"name", "http"}, {"containerPort", port}}});
  container["volumeMounts"] = Json::parse(R"([{"name": "scratch", "mountPath": "/scratch"}])");
  container["readinessProbe"] = Json::parse(
      R"({"exec": {"command": ["/bin/sh", "-c", "test -f /scratch/go && test $(hostname) = ready"]},
          "periodSeconds": 1, "failureThreshold": 1})");
  container["startupProbe"] = Json::parse(
      R"({"tcpSocket": {"port": "http"}, "periodSeconds": 1, "failureThreshold": 120})");
  container["livenessProbe"] = Json::parse(
      R"({"httpGet": {"path": "/", "port": "http"}, "periodSeconds": 1, "timeoutSeconds": 1,
          "failureThreshold": 100})");
  const Json pod = makePod("ready", container);
  auto runner = sandbox.run(pod, {{"scratch", {scratch, false}}});

  ASSERT_TRUE(waitFor([&] { return runner->status().phase == "Running"; }, 30s))
      << describe(*runner, pod);
  // Held not ready and not started: the startup probe (tcp) has nothing to connect to yet.
  std::this_thread::sleep_for(3s);  // give probes time to (wrongly) pass; evidence below
  auto s = runner->status();
  EXPECT_FALSE(s.ready) << describe(*runner, pod);
  EXPECT_FALSE(s.containers.at(0).started) << describe(*runner, pod);

  std::ofstream(scratch / "go") << "go";
  ASSERT_TRUE(waitFor([&] { return runner->status().ready; }, 60s)) << describe(*runner, pod);
  EXPECT_TRUE(runner->status().containers.at(0).started);
  EXPECT_EQ(runner->status().toJson()["conditions"][3]["status"], "True");

  // Frozen: the exec probe still runs (it is a new process) but the HTTP server does not
  // answer; thawed, everything recovers without a restart.
  ASSERT_TRUE(runner->freeze());
  EXPECT_TRUE(waitFor(
      [&] {
        const auto events = runner->events();
        return std::any_of(events.begin(), events.end(), [](const std::string& e) {
          return e.find("Liveness probe of main failed") != std::string::npos;
        });
      },
      30s))
      << describe(*runner, pod);
  ASSERT_TRUE(runner->thaw());
  EXPECT_TRUE(waitFor([&] { return runner->status().ready; }, 30s)) << describe(*runner, pod);
  EXPECT_EQ(runner->status().containers.at(0).restartCount, 0) << describe(*runner, pod);
}

TEST(PodRunner, LivenessFailureRestartsTheContainerWithItsPreviousLog) {
  MiniSandbox sandbox("liveness");
  auto container = shellContainer(
      "echo \"run started at $(date +%s%N)\"; touch /tmp/healthy; sleep 2; rm /tmp/healthy; "
      "echo 'now unhealthy'; exec sleep 600");
  container["livenessProbe"] = Json::parse(
      R"({"exec": {"command": ["test", "-f", "/tmp/healthy"]}, "periodSeconds": 1,
          "failureThreshold": 2})");
  const Json pod = makePod("live", container, {{"terminationGracePeriodSeconds", 1}});
  auto runner = sandbox.run(pod, {}, {}, kFastBackoff);

  ASSERT_TRUE(waitFor(
      [&] {
        const auto s = runner->status();
        const auto current = runner->logFile("main", false);
        // Running, and the new run has written its first line (evidence, not timing).
        return s.containers.at(0).restartCount >= 1 &&
               s.containers.at(0).state == ContainerStatus::State::Running && current &&
               slurp(*current).find("run started") != std::string::npos;
      },
      90s))
      << describe(*runner, pod);
  const auto s = runner->status();
  const auto& c = s.containers.at(0);
  ASSERT_TRUE(c.lastState) << describe(*runner, pod);
  EXPECT_NE(c.lastState->message.find("Liveness probe failed"), std::string::npos)
      << describe(*runner, pod);
  EXPECT_NE(c.lastState->exitCode, 0);
  const auto previous = runner->logFile("main", true);
  const auto current = runner->logFile("main", false);
  ASSERT_TRUE(previous && current) << describe(*runner, pod);
  EXPECT_NE(*previous, *current);
  EXPECT_NE(slurp(*previous).find("now unhealthy"), std::string::npos) << slurp(*previous);
  EXPECT_NE(slurp(*current).find("run started"), std::string::npos) << slurp(*current);
  const auto json = s.toJson()["containerStatuses"][0];
  EXPECT_GE(json["restartCount"].get<int>(), 1);
  EXPECT_TRUE(json["lastState"].contains("terminated")) << json.dump();
}

TEST(PodRunner, CrashingContainerBacksOffAndCountsRestarts) {
  MiniSandbox sandbox("crash");
  const Json pod = makePod("crash", shellContainer("echo crashing; exit 3"));
  auto runner = sandbox.run(pod, {}, {}, kFastBackoff);
  ASSERT_TRUE(waitFor([&] { return runner->status().containers.at(0).restartCount >= 3; }, 60s))
      << describe(*runner, pod);
  const auto s = runner->status();
  EXPECT_EQ(s.containers.at(0).lastState->exitCode, 3);
  EXPECT_EQ(s.phase, "Running") << "restartPolicy Always keeps the pod running";
  EXPECT_FALSE(s.ready);

  const Json once = makePod("once", shellContainer("exit 0"), {{"restartPolicy", "OnFailure"}});
  auto onceRunner = sandbox.run(once, {}, {}, kFastBackoff);
  ASSERT_TRUE(waitFor([&] { return onceRunner->status().phase == "Succeeded"; }, 30s))
      << describe(*onceRunner, once);
  EXPECT_EQ(onceRunner->status().containers.at(0).restartCount, 0);
}

TEST(PodRunner, MissingSecretWaitsThenStartsWhenItAppears) {
  MiniSandbox sandbox("secret");
  std::atomic<bool> secretExists = false;
  DataLookup lookup =
      [&](DataSource source,
          const std::string& name) -> std::optional<std::map<std::string, std::string>> {
    if (source == DataSource::Secret && name == "creds" && secretExists) {
      return std::map<std::string, std::string>{{"token", "s3cret"}};
    }
    return std::nullopt;
  };
  const auto scratch = sandbox.emptyDir("secret", "scratch");
  auto container = shellContainer("echo \"$TOKEN\" > /scratch/token; exec sleep 600");
  container["env"] = Json::parse(
      R"([{"name": "TOKEN", "valueFrom": {"secretKeyRef": {"name": "creds", "key": "token"}}}])");
  container["volumeMounts"] = Json::parse(R"([{"name": "scratch", "mountPath": "/scratch"}])");
  const Json pod = makePod("secret", container);
  auto runner = sandbox.run(pod, {{"scratch", {scratch, false}}}, lookup, kFastBackoff);
  ASSERT_TRUE(waitFor(
      [&] {
        return runner->status().containers.at(0).waitingReason == "CreateContainerConfigError";
      },
      30s))
      << describe(*runner, pod);
  EXPECT_EQ(runner->status().phase, "Pending");
  secretExists = true;
  ASSERT_TRUE(waitFor([&] { return slurp(scratch / "token") == "s3cret\n"; }, 30s))
      << describe(*runner, pod);
}

TEST(PodRunner, StopRunsPreStopThenSigtermAndSigkillAfterTheGracePeriod) {
  MiniSandbox sandbox("terminate");
  const auto scratch = sandbox.emptyDir("term", "scratch");
  // A process that exits on SIGTERM stops at once.
  auto polite = shellContainer(
      "trap 'echo got-term >> /scratch/polite; exit 0' TERM; "
      "echo up > /scratch/polite-up; while true; do sleep 0.1; done");
  polite["volumeMounts"] = Json::parse(R"([{"name": "scratch", "mountPath": "/scratch"}])");
  polite["lifecycle"] = Json::parse(
      R"({"preStop": {"exec": {"command": ["/bin/sh", "-c", "echo prestop-$(hostname) > /scratch/prestop"]}}})");
  const Json politePod = makePod("polite", polite, {{"terminationGracePeriodSeconds", 20}});
  auto politeRunner = sandbox.run(politePod, {{"scratch", {scratch, false}}});
  ASSERT_TRUE(waitFor([&] { return fs::exists(scratch / "polite-up"); }, 30s))
      << describe(*politeRunner, politePod);
  auto started = std::chrono::steady_clock::now();
  auto status = politeRunner->stop();
  const auto politeTook = std::chrono::steady_clock::now() - started;
  EXPECT_LT(politeTook, 10s) << describe(*politeRunner, politePod);
  EXPECT_EQ(slurp(scratch / "prestop"), "prestop-polite\n") << describe(*politeRunner, politePod);
  EXPECT_NE(slurp(scratch / "polite").find("got-term"), std::string::npos);
  ASSERT_TRUE(status.containers.at(0).terminated);
  EXPECT_EQ(status.containers.at(0).terminated->signal, 0) << status.toJson().dump();

  // A process that ignores SIGTERM is killed when the grace period ends.
  const std::string token = "4242.4242" + std::to_string(::getpid() % 1000);
  const Json stubborn = makePod("stubborn", shellContainer("trap '' TERM; exec sleep " + token),
                                {{"terminationGracePeriodSeconds", 2}});
  auto stubbornRunner = sandbox.run(stubborn, {});
  ASSERT_TRUE(waitFor([&] { return !testing::processesWith("sleep " + token).empty(); }, 30s))
      << describe(*stubbornRunner, stubborn);
  started = std::chrono::steady_clock::now();
  status = stubbornRunner->stop();
  const auto stubbornTook = std::chrono::steady_clock::now() - started;
  EXPECT_GE(stubbornTook, 2s) << describe(*stubbornRunner, stubborn);
  EXPECT_LT(stubbornTook, 10s) << describe(*stubbornRunner, stubborn);
  ASSERT_TRUE(status.containers.at(0).terminated);
  EXPECT_EQ(status.containers.at(0).terminated->signal, SIGKILL) << status.toJson().dump();
  EXPECT_TRUE(testing::processesWith("sleep " + token).empty());
}

TEST(PodRunner, KillFaultRestartsAndNoOrphanSurvivesTheRunner) {
  MiniSandbox sandbox("orphans");
  const std::string token = "3131.3131" + std::to_string(::getpid() % 1000);
  // Children of the container, some in their own session: PID namespace teardown must
  // take them too.
  const Json pod = makePod("orphans", shellContainer("sleep " + token + " & setsid sleep " + token +
                                                     " & sleep " + token + "; wait"));
  auto runner = sandbox.run(pod, {}, {}, kFastBackoff);
  // The shell (its command line holds the token too) and three sleeps.
  ASSERT_TRUE(waitFor([&] { return testing::processesWith("sleep " + token).size() == 4; }, 30s))
      << describe(*runner, pod);
  const auto firstRun = testing::processesWith("sleep " + token);
  ASSERT_TRUE(runner->kill());
  ASSERT_TRUE(waitFor(
      [&] {
        const auto now = testing::processesWith("sleep " + token);
        return runner->status().containers.at(0).restartCount == 1 && now.size() == 4 &&
               std::none_of(now.begin(), now.end(),
                            [&](int pid) { return firstRun.contains(pid); });
      },
      30s))
      << describe(*runner, pod);
  runner.reset();  // destroyed without stop(): everything goes at once
  EXPECT_TRUE(testing::processesWith("sleep " + token).empty());
}

// Runs a pod and waits to be SIGKILLed: the process that plays the sandbox in
// NoOrphanSurvivesASigkilledSandbox (disabled: only that test runs it).
TEST(PodRunnerHelper, DISABLED_RunPodUntilKilled) {
  const char* token = std::getenv("ZKOP_KUBELET_ORPHAN_TOKEN");
  ASSERT_NE(token, nullptr) << "only NoOrphanSurvivesASigkilledSandbox runs this helper";
  MiniSandbox sandbox("orphans-sigkill");
  // Not root: a credential change clears the parent-death signal, which must be re-armed.
  const Json pod = makePod(
      "victim", shellContainer(std::string("setsid sleep ") + token + " & exec sleep " + token),
      {{"securityContext", {{"runAsUser", 1000}, {"runAsGroup", 1000}}}});
  auto runner = sandbox.run(pod, {});
  while (true) ::pause();
}

TEST(PodRunner, NoOrphanSurvivesASigkilledSandbox) {
  const std::string token = "5151.5151" + std::to_string(::getpid() % 1000);
  const pid_t helper = ::fork();
  ASSERT_GE(helper, 0);
  if (helper == 0) {
    ::setenv("ZKOP_KUBELET_ORPHAN_TOKEN", token.c_str(), 1);
    ::execl("/proc/self/exe", "kubelet_integration_tests",
            "--gtest_filter=PodRunnerHelper.DISABLED_RunPodUntilKilled",
            "--gtest_also_run_disabled_tests", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  const bool running =
      waitFor([&] { return testing::processesWith("sleep " + token).size() == 2; }, 60s);
  ::kill(helper, SIGKILL);
  ::waitpid(helper, nullptr, 0);
  ASSERT_TRUE(running) << "the helper's pod never ran";
  EXPECT_TRUE(waitFor([&] { return testing::processesWith("sleep " + token).empty(); }, 10s))
      << "left behind: " << testing::processesWith("sleep " + token).size() << " processes";
}

TEST(PodRunner, WipedPvcIsSeenByTheRunningPod) {
  MiniSandbox sandbox("wipe");
  const auto pvc = sandbox.emptyDir("wipe", "pvc");
  std::ofstream(pvc / "precious") << "data";
  auto container = shellContainer(
      "while [ -f /data/precious ]; do sleep 0.1; done; echo gone > /data/seen; exec sleep 600");
  container["volumeMounts"] = Json::parse(R"([{"name": "data", "mountPath": "/data"}])");
  const Json pod = makePod("wipe", container);
  auto runner = sandbox.run(pod, {{"data", {pvc, false}}});
  ASSERT_TRUE(waitFor([&] { return runner->status().phase == "Running"; }, 30s));
  ASSERT_TRUE(wipeDirectoryContents(pvc));
  EXPECT_TRUE(waitFor([&] { return slurp(pvc / "seen") == "gone\n"; }, 30s))
      << describe(*runner, pod);
}

}  // namespace
}  // namespace zkop::sandbox::kubelet
