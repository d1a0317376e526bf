#include "e2e/sandbox/server/sandbox_command.h"

#include <signal.h>
#include <unistd.h>

#include <condition_variable>
#include <csignal>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>

#include <spdlog/spdlog.h>

#include "e2e/sandbox/api/api_server.h"
#include "e2e/sandbox/node/sandbox_agents.h"
#include "e2e/sandbox/server/http_server.h"
#include "e2e/sandbox/server/kubeconfig.h"
#include "e2e/sandbox/server/tls_material.h"

namespace zkop::sandbox {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::optional<pid_t> read_pid(const fs::path& pid_file) {
  std::ifstream in(pid_file);
  long pid = 0;
  if (!(in >> pid) || pid <= 0) return std::nullopt;
  return static_cast<pid_t>(pid);
}

bool alive(pid_t pid) { return ::kill(pid, 0) == 0 || errno == EPERM; }

// Writes the snapshot whenever the resourceVersion moved, until told to stop.
class Snapshotter {
 public:
  Snapshotter(ApiServer& api, fs::path file) : api_(api), file_(std::move(file)) {
    thread_ = std::thread([this] { run(); });
  }
  ~Snapshotter() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
    save();
  }

 private:
  void run() {
    std::unique_lock lock(mutex_);
    while (!cv_.wait_for(lock, std::chrono::milliseconds(500), [&] { return stop_; })) {
      lock.unlock();
      save();
      lock.lock();
    }
  }
  void save() {
    const std::uint64_t version = api_.resource_version();
    if (version == saved_) return;
    write_file_atomically(file_, api_.snapshot().dump());
    saved_ = version;
  }

  ApiServer& api_;
  fs::path file_;
  std::uint64_t saved_ = 0;
  bool stop_ = false;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::thread thread_;
};

}  // namespace

int run_up(const UpOptions& options) {
  const fs::path dir = fs::absolute(options.state_dir);
  fs::create_directories(dir);
  const fs::path pid_file = dir / "sandbox.pid";
  const fs::path kubeconfig = dir / "kubeconfig";
  if (auto pid = read_pid(pid_file); pid && *pid != ::getpid() && alive(*pid)) {
    spdlog::error("a sandbox (pid {}) already serves from {}", *pid, dir.string());
    return 1;
  }
  fs::remove(kubeconfig);

  // Signals are taken synchronously by this thread; every thread started below inherits the
  // blocked mask.
  // A shell starts background jobs with SIGINT ignored; an ignored signal never becomes
  // pending, so the default disposition is restored before waiting for it.
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  const std::string token = load_or_create_token(dir);
  std::optional<TlsMaterial> tls;
  if (!options.insecure_http) tls = load_or_create_tls_material(dir);

  SystemClock clock;
  ApiOptions api_options;
  api_options.history_capacity = options.history_size;
  api_options.bookmark_interval = options.bookmark_interval;
  api_options.log_dir = (dir / "node" / "logs").string();
  ApiServer api(clock, api_options, token);
  const fs::path state = dir / "state.json";
  if (fs::exists(state)) {
    std::ifstream in(state);
    json snapshot = json::parse(in, nullptr, false);
    if (snapshot.is_discarded()) {
      spdlog::error("{} is not valid JSON; refusing to start over it", state.string());
      return 1;
    }
    api.restore(snapshot);
    spdlog::info("resumed {} at resourceVersion {}", state.string(), api.resource_version());
  }

  HttpServerConfig config;
  config.port = options.port;
  config.tls = tls;
  if (options.verbose) config.log = [](const std::string& line) { spdlog::info("{}", line); };
  HttpServer server(api, config);
  std::uint16_t port = 0;
  try {
    port = server.start();
  } catch (const std::exception& e) {
    spdlog::error("cannot listen on 127.0.0.1:{}: {}", options.port, e.what());
    return 1;
  }
  const std::string address = "127.0.0.1:" + std::to_string(port);
  api.set_server_address(address);
  {
    Snapshotter snapshotter(api, state);
    write_file_atomically(pid_file, std::to_string(::getpid()) + "\n");
    KubeconfigSpec spec;
    spec.server = (tls ? "https://" : "http://") + address;
    if (tls) spec.ca_pem = tls->ca_cert_pem;
    spec.token = token;
    write_file_atomically(kubeconfig, render_kubeconfig(spec));
    spdlog::info("serving on {}://{}; kubeconfig {}", tls ? "https" : "http", address,
                 kubeconfig.string());

    // Controllers and the kubelet are clients of the API like any other, over the kubeconfig.
    std::unique_ptr<SandboxAgents> agents;
    if (options.controllers || options.node) {
      auto started = SandboxAgents::start({.stateDir = dir,
                                           .kubeconfig = kubeconfig,
                                           .controllers = options.controllers,
                                           .node = options.node});
      if (!started) {
        spdlog::error("cannot start the sandbox's agents: {}", started.error().message());
        fs::remove(kubeconfig);
        server.stop();
        fs::remove(pid_file);
        return 1;
      }
      agents = std::move(*started);
    }

    int received = 0;
    sigwait(&signals, &received);
    spdlog::info("signal {}: stopping", received);
    // Pods die first (the agents kill them), then the API stops serving.
    agents.reset();
    fs::remove(kubeconfig);
    server.stop();
  }
  fs::remove(pid_file);
  return 0;
}

int run_down(const fs::path& state_dir, std::chrono::seconds timeout) {
  const fs::path pid_file = state_dir / "sandbox.pid";
  const auto pid = read_pid(pid_file);
  if (!pid) {
    spdlog::error("no sandbox serves from {} (no pid file)", state_dir.string());
    return 1;
  }
  if (!alive(*pid)) {
    fs::remove(pid_file);
    return 0;
  }
  ::kill(*pid, SIGTERM);
  // The server removes its pid file as the last step of a clean stop.
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!fs::exists(pid_file) || !alive(*pid)) return 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  spdlog::error("sandbox pid {} did not stop within {}s", *pid, timeout.count());
  return 1;
}

}  // namespace zkop::sandbox
