#include "e2e/kubelet/pod_runner.h"

#include <signal.h>

#include <atomic>
#include <fstream>

#include "e2e/kubelet/container_logs.h"
#include "e2e/kubelet/container_process.h"
#include "e2e/kubelet/handler_runner.h"
#include "e2e/kubelet/probe_spec.h"
#include "e2e/kubelet/probe_tracker.h"
#include "e2e/kubelet/security_context.h"

namespace zkop::sandbox::kubelet {
namespace fs = std::filesystem;
using Json = nlohmann::json;
using SteadyClock = std::chrono::steady_clock;
using std::chrono::duration_cast;
using std::chrono::milliseconds;
using std::chrono::seconds;

// One probe or hook execution on its own thread. Shared with that thread, so a runner that
// moves on (container died, pod stopped) never waits for a slow probe.
struct PodRunner::ProbeRun {
  std::atomic<bool> done{false};
  HandlerOutcome outcome;  // written before `done`

  static std::shared_ptr<ProbeRun> launch(Handler handler, HandlerContext context,
                                          milliseconds timeout) {
    auto run = std::make_shared<ProbeRun>();
    std::thread([run, handler = std::move(handler), context = std::move(context), timeout] {
      run->outcome = runHandler(handler, context, timeout);
      run->done.store(true, std::memory_order_release);
    }).detach();
    return run;
  }
};

struct PodRunner::Container {
  std::string name;
  Json spec;
  ContainerLogs logs;
  std::optional<ProbeSpec> probes[3];  // indexed by ProbeKind
  std::optional<Handler> preStop;
  RestartBackoff backoff;

  ContainerProcess process;
  ContainerStatus status;
  bool everStarted = false;
  bool finished = false;                           // terminated and not to be restarted
  std::optional<SteadyClock::time_point> startAt;  // next (re)start
  SteadyClock::time_point runStarted{};
  HandlerContext context;  // pod IP, pid, env of the current run

  std::optional<ProbeTracker> trackers[3];
  std::shared_ptr<ProbeRun> inflight[3];

  struct Killing {
    SteadyClock::time_point deadline;
    std::shared_ptr<ProbeRun> preStop;
    bool termSent = false;
    std::string reason;
  };
  std::optional<Killing> killing;

  Container(std::string n, Json s, fs::path logDir, BackoffPolicy policy)
      : name(std::move(n)), spec(std::move(s)), logs(std::move(logDir)), backoff(policy) {
    status.name = name;
  }
};

namespace {

int index(ProbeKind kind) { return static_cast<int>(kind); }

std::vector<std::string> stringList(const Json& container, const char* key) {
  std::vector<std::string> out;
  if (container.contains(key)) {
    for (const auto& s : container[key]) out.push_back(s.get<std::string>());
  }
  return out;
}

}  // namespace

PodRunner::PodRunner(Config config) : config_(std::move(config)) {}

PodRunner::~PodRunner() { stop(seconds(0)); }

seconds PodRunner::podGrace() const {
  const Json& spec = pod_["spec"];
  return seconds(spec.value("terminationGracePeriodSeconds", 30));
}

Result<void> PodRunner::start(Json pod, VolumeMap volumes, DataLookup lookup) {
  std::unique_lock lock(mutex_);
  if (supervisor_.joinable() || stopRequested_) return specError("start pod", "already started");
  if (!pod.contains("spec") || !pod["spec"].contains("containers")) {
    return specError("start pod", "no spec.containers");
  }
  containers_.clear();  // a start that failed validation may be retried
  pod_ = std::move(pod);
  volumes_ = std::move(volumes);
  lookup_ = std::move(lookup);
  restartPolicy_ = pod_["spec"].value("restartPolicy", "Always");
  std::error_code ec;
  fs::create_directories(config_.podDir, ec);
  if (ec) return specError("create " + config_.podDir.string(), ec.message());

  for (const auto& spec : pod_["spec"]["containers"]) {
    auto c = std::make_unique<Container>(spec.value("name", ""), spec,
                                         config_.podDir / "logs" / spec.value("name", ""),
                                         config_.backoff);
    for (auto kind : {ProbeKind::Startup, ProbeKind::Liveness, ProbeKind::Readiness}) {
      auto probe = parseProbe(spec, kind);
      if (!probe) return std::unexpected(probe.error());
      c->probes[index(kind)] = *probe;
    }
    if (spec.contains("lifecycle") && spec["lifecycle"].contains("preStop")) {
      auto handler = parseHandler(spec["lifecycle"]["preStop"], spec);
      if (!handler) return std::unexpected(handler.error());
      c->preStop = *handler;
    }
    for (const auto& m : spec.value("volumeMounts", Json::array())) {
      if (!volumes_.contains(m.value("name", ""))) {
        return specError("volumeMount " + m.value("name", ""), "no such volume prepared");
      }
    }
    fs::create_directories(config_.podDir / "rootfs" / c->name, ec);
    c->startAt = SteadyClock::now();
    containers_.push_back(std::move(c));
  }
  if (auto fsGroup = podFsGroup(pod_["spec"])) {
    if (auto r = applyFsGroup(volumes_, *fsGroup); !r) return r;
  }
  startTime_ = std::chrono::system_clock::now();
  supervisor_ = std::thread([this] { supervise(); });
  return {};
}

PodStatus PodRunner::stop(std::optional<seconds> grace) {
  {
    std::lock_guard lock(mutex_);
    if (!stopRequested_) {
      stopRequested_ = true;
      stopGrace_ = grace;
    } else if (grace && (!stopGrace_ || *grace < *stopGrace_)) {
      stopGrace_ = grace;  // a shorter grace overrides, as kubectl delete --grace-period=0
      stopping_ = false;   // re-evaluate kill deadlines
    }
  }
  wake_.notify_all();
  {
    // Two threads stopping at once (a deletion racing the destructor) must not both join.
    std::lock_guard joining(joinMutex_);
    if (supervisor_.joinable() && supervisor_.get_id() != std::this_thread::get_id()) {
      supervisor_.join();
    }
  }
  std::lock_guard lock(mutex_);
  return statusLocked();
}

void PodRunner::supervise() {
  std::unique_lock lock(mutex_);
  Json published;
  while (true) {
    const auto now = SteadyClock::now();
    if (stopRequested_ && !stopping_) {
      stopping_ = true;
      const seconds grace = stopGrace_.value_or(podGrace());
      for (auto& c : containers_) {
        c->startAt.reset();
        if (c->process.running()) {
          // A shorter grace given later replaces the deadline of a kill in progress.
          if (c->killing) {
            c->killing->deadline = std::min(c->killing->deadline, now + grace);
          } else {
            beginKill(*c, "Stopping container " + c->name, grace, now);
          }
        }
      }
    }
    for (auto& c : containers_) step(*c, now);
    bool anyRunning = false;
    for (auto& c : containers_) anyRunning = anyRunning || c->process.running();
    const PodStatus current = statusLocked();
    Json currentJson = current.toJson();
    if (currentJson != published) {
      published = std::move(currentJson);
      if (config_.onStatusChange) {
        lock.unlock();
        config_.onStatusChange(current);
        lock.lock();
      }
    }
    if (stopping_ && !anyRunning) break;
    wake_.wait_for(lock, config_.tick);
  }
}

void PodRunner::event(const std::string& what) {
  const std::string line = rfc3339(std::chrono::system_clock::now()) + " " + what;
  events_.push_back(line);
  if (events_.size() > 200) events_.pop_front();
  std::ofstream(config_.podDir / "events.log", std::ios::app) << line << "\n";
}

void PodRunner::step(Container& c, SteadyClock::time_point now) {
  if (c.process.running()) {
    if (auto exit = c.process.poll()) onExit(c, exit->exitCode, exit->signal, now);
  }
  if (c.killing && c.process.running()) {
    auto& k = *c.killing;
    const bool hookDone = !k.preStop || k.preStop->done.load(std::memory_order_acquire);
    if (!k.termSent && (hookDone || now >= k.deadline)) {
      if (k.preStop && hookDone && !k.preStop->outcome.success) {
        event("PreStop hook of " + c.name + " failed: " + k.preStop->outcome.message);
      }
      (void)c.process.signalGroup(SIGTERM);
      k.termSent = true;
    }
    if (now >= k.deadline) {
      (void)c.process.signalGroup(SIGKILL);
      (void)c.process.signalGroup(SIGCONT);  // harmless; a frozen group dies either way
    }
    return;
  }
  if (!c.process.running() && !stopping_ && c.startAt && now >= *c.startAt) {
    c.startAt.reset();
    startContainer(c, now);
    return;
  }
  if (c.process.running() && !stopping_) runProbes(c, now);
}

void PodRunner::startContainer(Container& c, SteadyClock::time_point now) {
  const Json& spec = pod_["spec"];
  const int run = c.everStarted ? c.status.restartCount + 1 : 0;
  auto waitWith = [&](const std::string& reason, const KubeletError& error) {
    c.status.state = ContainerStatus::State::Waiting;
    c.status.waitingReason = reason;
    c.status.waitingMessage = error.message();
    const auto delay = c.backoff.next(milliseconds(0));
    c.startAt = now + delay;
    event("Failed to start container " + c.name + " (" + reason + "): " + error.message() +
          "; retrying in " + std::to_string(delay.count()) + "ms");
  };

  RuntimeFields fields{config_.podIP, config_.hostIP, config_.nodeName};
  auto env = resolveEnv(pod_, c.spec, fields, lookup_);
  if (!env) return waitWith("CreateContainerConfigError", env.error());
  auto creds = containerCredentials(spec, c.spec);
  if (!creds) return waitWith("CreateContainerConfigError", creds.error());
  bool hasHome = false;
  for (const auto& [k, v] : *env) hasHome = hasHome || k == "HOME";
  if (!hasHome) env->emplace_back("HOME", *creds && (*creds)->uid != 0 ? "/" : "/root");

  LaunchSpec launch;
  launch.workingDir = c.spec.value("workingDir", "/");
  auto root = planPodRoot(
      {config_.podDir / "rootfs" / c.name, config_.hostsFile, c.spec, volumes_, launch.workingDir});
  if (!root) return waitWith("CreateContainerConfigError", root.error());
  launch.root = std::move(*root);
  const auto metadataName = pod_["metadata"].value("name", "");
  launch.hostname = spec.value("hostname", metadataName);
  for (const auto& a : stringList(c.spec, "command"))
    launch.argv.push_back(expandReferences(a, *env));
  for (const auto& a : stringList(c.spec, "args")) launch.argv.push_back(expandReferences(a, *env));
  for (const auto& [k, v] : *env) launch.env.push_back(k + "=" + v);
  launch.credentials = *creds;
  launch.logFile = c.logs.beginRun(run);

  auto process = ContainerProcess::spawn(launch);
  if (!process) return waitWith("RunContainerError", process.error());

  c.process = std::move(*process);
  if (c.everStarted) ++c.status.restartCount;
  c.everStarted = true;
  c.runStarted = now;
  c.status.state = ContainerStatus::State::Running;
  c.status.runningSince = std::chrono::system_clock::now();
  c.status.terminated.reset();
  c.status.pid = c.process.pid();
  c.status.ready = false;
  c.status.started = !c.probes[index(ProbeKind::Startup)];
  c.context = HandlerContext{config_.podIP, c.process.pid(),
                             ExecRequest{{}, launch.env, launch.workingDir, launch.credentials}};
  for (auto kind : {ProbeKind::Startup, ProbeKind::Liveness, ProbeKind::Readiness}) {
    c.inflight[index(kind)].reset();
    c.trackers[index(kind)].reset();
    if (const auto& p = c.probes[index(kind)])
      c.trackers[index(kind)].emplace(kind, p->timing, now);
  }
  event("Started container " + c.name + " (pid " + std::to_string(c.process.pid()) + ", run " +
        std::to_string(run) + ")");
}

void PodRunner::onExit(Container& c, int exitCode, int signal, SteadyClock::time_point now) {
  TerminatedState t;
  t.exitCode = exitCode;
  t.signal = signal;
  t.reason = exitCode == 0 ? "Completed" : "Error";
  t.message = c.killing ? c.killing->reason : "";
  t.startedAt = c.status.runningSince;
  t.finishedAt = std::chrono::system_clock::now();
  c.killing.reset();
  for (auto& run : c.inflight) run.reset();
  c.status.pid = 0;
  c.status.ready = false;
  c.status.started = false;
  c.status.lastState = t;
  event("Container " + c.name + " exited with code " + std::to_string(exitCode) +
        (signal ? " (signal " + std::to_string(signal) + ")" : ""));

  const bool restart = !stopping_ && (restartPolicy_ == "Always" ||
                                      (restartPolicy_ == "OnFailure" && exitCode != 0));
  if (!restart) {
    c.finished = true;
    c.status.state = ContainerStatus::State::Terminated;
    c.status.terminated = t;
    return;
  }
  const auto delay = c.backoff.next(duration_cast<milliseconds>(now - c.runStarted));
  c.startAt = now + delay;
  c.status.state = ContainerStatus::State::Waiting;
  c.status.waitingReason = "CrashLoopBackOff";
  c.status.waitingMessage =
      "back-off " + std::to_string(delay.count()) + "ms restarting failed container=" + c.name;
}

void PodRunner::beginKill(Container& c, const std::string& reason, seconds grace,
                          SteadyClock::time_point now) {
  event("Killing container " + c.name + ": " + reason + " (grace " + std::to_string(grace.count()) +
        "s)");
  Container::Killing k;
  k.deadline = now + grace;
  k.reason = reason;
  if (c.preStop && grace.count() > 0) {
    k.preStop = ProbeRun::launch(*c.preStop, c.context, duration_cast<milliseconds>(grace));
  }
  c.killing = std::move(k);
  c.status.ready = false;
}

void PodRunner::runProbes(Container& c, SteadyClock::time_point now) {
  for (auto kind : {ProbeKind::Startup, ProbeKind::Liveness, ProbeKind::Readiness}) {
    auto& tracker = c.trackers[index(kind)];
    if (!tracker) continue;
    // Liveness and readiness wait for the startup probe; startup stops once it passed.
    if ((kind == ProbeKind::Startup) == c.status.started) continue;
    auto& inflight = c.inflight[index(kind)];
    if (inflight) {
      if (!inflight->done.load(std::memory_order_acquire)) continue;
      const HandlerOutcome outcome = inflight->outcome;
      inflight.reset();
      const bool changed = tracker->record(outcome.success);
      if (!outcome.success) {
        event(std::string(kind == ProbeKind::Startup    ? "Startup"
                          : kind == ProbeKind::Liveness ? "Liveness"
                                                        : "Readiness") +
              " probe of " + c.name + " failed: " + outcome.message);
      }
      if (tracker->result() == ProbeResult::Failure && kind != ProbeKind::Readiness) {
        const seconds grace = seconds(c.spec[std::string(probeKindName(kind)) + "Probe"].value(
            "terminationGracePeriodSeconds", static_cast<int>(podGrace().count())));
        beginKill(c,
                  std::string(kind == ProbeKind::Liveness ? "Liveness" : "Startup") +
                      " probe failed: " + outcome.message,
                  grace, now);
        return;
      }
      if (kind == ProbeKind::Startup && tracker->result() == ProbeResult::Success) {
        c.status.started = true;
      }
      if (kind == ProbeKind::Readiness && changed) {
        event(std::string("Container ") + c.name +
              (tracker->result() == ProbeResult::Success ? " is ready" : " is not ready"));
      }
      continue;
    }
    if (tracker->due(now)) {
      tracker->launched(now);
      inflight = ProbeRun::launch(c.probes[index(kind)]->handler, c.context,
                                  duration_cast<milliseconds>(tracker->timing().timeout));
    }
  }
  if (!c.killing) {
    const auto& readiness = c.trackers[index(ProbeKind::Readiness)];
    c.status.ready =
        c.status.started && (!readiness || readiness->result() == ProbeResult::Success);
  }
}

PodStatus PodRunner::statusLocked() const {
  PodStatus s;
  s.podIP = config_.podIP;
  s.hostIP = config_.hostIP;
  s.startTime = startTime_;
  bool allStarted = !containers_.empty();
  bool allReady = !containers_.empty();
  bool anyRunningOrRestarting = false;
  bool allSucceeded = true;
  for (const auto& c : containers_) {
    s.containers.push_back(c->status);
    allStarted = allStarted && c->everStarted;
    allReady = allReady && c->status.ready;
    anyRunningOrRestarting = anyRunningOrRestarting || c->process.running() || c->startAt;
    allSucceeded = allSucceeded && c->status.terminated && c->status.terminated->exitCode == 0;
  }
  if (!allStarted && !stopping_) {
    s.phase = "Pending";
  } else if (anyRunningOrRestarting) {
    s.phase = "Running";
  } else {
    s.phase = allSucceeded ? "Succeeded" : "Failed";
  }
  s.ready = allReady && s.phase == "Running";
  const auto now = std::chrono::system_clock::now();
  auto condition = [&](const std::string& type, bool value, const std::string& reason) {
    auto& since = conditionSince_[type];
    if (since.second == WallTime{} || since.first != value) since = {value, now};
    s.conditions.push_back({type, value, value ? std::string() : reason, since.second});
  };
  condition("PodScheduled", true, "");
  condition("Initialized", true, "");
  condition("ContainersReady", s.ready, "ContainersNotReady");
  condition("Ready", s.ready, "ContainersNotReady");
  return s;
}

PodStatus PodRunner::status() const {
  std::lock_guard lock(mutex_);
  return statusLocked();
}

Result<void> PodRunner::kill(const std::string& container) {
  std::lock_guard lock(mutex_);
  bool any = false;
  for (auto& c : containers_) {
    if (!container.empty() && c->name != container) continue;
    if (!c->process.running()) continue;
    any = true;
    if (auto r = c->process.signalGroup(SIGKILL); !r) return r;
    event("Fault: killed container " + c->name);
  }
  wake_.notify_all();
  if (!any) return specError("kill " + container, "no running container");
  return {};
}

Result<void> PodRunner::freeze() {
  std::lock_guard lock(mutex_);
  for (auto& c : containers_) {
    if (!c->process.running()) continue;
    if (auto r = c->process.signalGroup(SIGSTOP); !r) return r;
    event("Fault: froze container " + c->name);
  }
  return {};
}

Result<void> PodRunner::thaw() {
  std::lock_guard lock(mutex_);
  for (auto& c : containers_) {
    if (!c->process.running()) continue;
    if (auto r = c->process.signalGroup(SIGCONT); !r) return r;
    event("Fault: thawed container " + c->name);
  }
  return {};
}

std::optional<fs::path> PodRunner::logFile(const std::string& container, bool previous) const {
  return ContainerLogs(config_.podDir / "logs" / container).latest(previous);
}

std::vector<std::string> PodRunner::events() const {
  std::lock_guard lock(mutex_);
  return {events_.begin(), events_.end()};
}

}  // namespace zkop::sandbox::kubelet
