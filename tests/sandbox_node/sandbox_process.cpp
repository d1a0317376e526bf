#include "tests/sandbox_node/sandbox_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

namespace zkop::sandbox::testing {
namespace fs = std::filesystem;

CommandResult run(const std::string& command) {
  CommandResult result;
  const std::string full = command + " 2>&1";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(full.c_str(), "r"), ::pclose);
  if (!pipe) return result;
  std::array<char, 4096> buffer{};
  size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe.get())) > 0) {
    result.output.append(buffer.data(), n);
  }
  const int status = ::pclose(pipe.release());
  result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

std::string slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool waitFor(const std::function<bool()>& ready, std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (ready()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));  // poll interval
  }
  return ready();
}

std::set<int> processesWith(const std::string& token) {
  std::set<int> pids;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc", ec)) {
    const auto name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string cmdline = slurp(entry.path() / "cmdline");
    for (auto& ch : cmdline) {
      if (ch == '\0') ch = ' ';
    }
    if (cmdline.find(token) != std::string::npos && std::stoi(name) != ::getpid()) {
      pids.insert(std::stoi(name));
    }
  }
  return pids;
}

namespace {

std::string tail(const std::string& text, size_t bytes) {
  return text.size() <= bytes ? text : "..." + text.substr(text.size() - bytes);
}

}  // namespace

SandboxProcess::SandboxProcess(const std::string& name)
    : dir_(fs::path(ZKOP_BINARY_DIR) / "test-tmp" / "sandbox_node" / name) {
  fs::remove_all(dir_);
  fs::create_directories(dir_);
}

SandboxProcess::~SandboxProcess() { stop(SIGTERM); }

bool SandboxProcess::start(std::string& whyNot) {
  const std::string binary = std::string(ZKOP_BINARY_DIR) + "/bin/zkop-sandbox";
  const std::string log = (dir_ / "sandbox.log").string();
  const std::string stateDir = dir_.string();
  // A sandbox killed with SIGKILL leaves its kubeconfig behind: only a new one is the signal.
  std::error_code ec;
  fs::remove(dir_ / "kubeconfig", ec);
  pid_ = ::fork();
  if (pid_ == 0) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    ::execl(binary.c_str(), binary.c_str(), "up", "--state-dir", stateDir.c_str(), nullptr);
    ::_exit(127);
  }
  const bool up =
      waitFor([&] { return fs::exists(dir_ / "kubeconfig"); }, std::chrono::seconds(60));
  if (!up) whyNot = "no kubeconfig within 60s; log:\n" + tail(slurp(log), 4000);
  return up;
}

void SandboxProcess::stop(int signal) {
  if (pid_ <= 0) return;
  ::kill(pid_, signal);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  int status = 0;
  while (::waitpid(pid_, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  pid_ = -1;
}

CommandResult SandboxProcess::kubectl(const std::string& args) const {
  return run("kubectl --kubeconfig " + (dir_ / "kubeconfig").string() + " --cache-dir " +
             (dir_ / "kubectl-cache").string() + " " + args);
}

CommandResult SandboxProcess::apply(const std::string& yaml) const {
  static int counter = 0;
  const auto file = dir_ / ("manifest-" + std::to_string(++counter) + ".yaml");
  std::ofstream(file) << yaml;
  return kubectl("apply -f " + file.string());
}

std::string SandboxProcess::jsonpath(const std::string& args, const std::string& path) const {
  const auto r = kubectl("get " + args + " -o jsonpath='" + path + "'");
  return r.ok() ? r.output : "";
}

std::string SandboxProcess::describe() const {
  std::ostringstream out;
  out << "--- kubectl get sts,pods,pvc -o wide\n" << kubectl("get sts,pods,pvc -o wide").output;
  out << "--- pod statuses\n"
      << kubectl(
             "get pods -o jsonpath='{range .items[*]}{.metadata.name} {.metadata.uid} "
             "{.status}{\"\\n\"}{end}'")
             .output
      << "\n";
  std::error_code ec;
  for (const auto& pod : fs::directory_iterator(dir_ / "node" / "pods", ec)) {
    out << "--- " << pod.path().filename().string() << " events\n"
        << tail(slurp(pod.path() / "events.log"), 1500);
    for (const auto& container : fs::directory_iterator(pod.path() / "logs", ec)) {
      for (const auto& run : fs::directory_iterator(container.path(), ec)) {
        out << "--- " << run.path().string() << " (tail)\n"
            << tail(slurp(run.path()), 1500) << "\n";
      }
    }
  }
  out << "--- hosts\n" << slurp(dir_ / "node" / "hosts");
  out << "--- sandbox log (tail)\n" << tail(slurp(dir_ / "sandbox.log"), 4000);
  return out.str();
}

}  // namespace zkop::sandbox::testing
