#include "tests/kubelet/kubelet_test_support.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

namespace zkop::sandbox::kubelet::testing {
namespace fs = std::filesystem;

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
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // poll interval
  }
  return ready();
}

std::set<int> processesWith(const std::string& token) {
  std::set<int> pids;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const auto name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string cmdline = slurp(entry.path() / "cmdline");
    for (auto& ch : cmdline) {
      if (ch == '\0') ch = ' ';
    }
    if (cmdline.find(token) != std::string::npos) pids.insert(std::stoi(name));
  }
  return pids;
}

int freeWildcardPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  socklen_t len = sizeof addr;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

std::string hostMounts() {
  // Only the mount points and sources: per-mount counters are not part of the evidence.
  std::istringstream in(slurp("/proc/self/mountinfo"));
  std::string out;
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    std::string id, parent, dev, root, point;
    fields >> id >> parent >> dev >> root >> point;
    out += root + " " + point + "\n";
  }
  return out;
}

MiniSandbox::MiniSandbox(const std::string& name)
    : dir_(fs::path(ZKOP_BINARY_DIR) / "test-tmp" / "kubelet" / name),
      hosts_(dir_ / "hosts"),
      addresses_(AddressAllocator::forInstance(dir_.string())) {
  fs::remove_all(dir_);
  fs::create_directories(dir_);
  (void)hosts_.create();
}

PodRunner::Config MiniSandbox::config(const std::string& uid, const std::string& ip) const {
  return PodRunner::Config{}
      .withPodDir(dir_ / "pods" / uid)
      .withHostsFile(hosts_.path())
      .withPodIP(ip);
}

std::unique_ptr<PodRunner> MiniSandbox::run(const Json& pod, VolumeMap volumes, DataLookup lookup,
                                            BackoffPolicy backoff) {
  const auto uid = pod["metadata"].value("uid", "");
  const auto ip = addresses_.allocate(uid).value();
  const auto& spec = pod["spec"];
  (void)hosts_.setPod(uid,
                      {ip, spec.value("hostname", pod["metadata"].value("name", "")),
                       spec.value("subdomain", ""), pod["metadata"].value("namespace", "default")});
  auto runner = std::make_unique<PodRunner>(config(uid, ip).withBackoff(backoff));
  auto started = runner->start(pod, std::move(volumes), std::move(lookup));
  if (!started) throw std::runtime_error("start " + uid + ": " + started.error().message());
  return runner;
}

PodStatus MiniSandbox::remove(std::unique_ptr<PodRunner>& runner, const Json& pod,
                              std::optional<std::chrono::seconds> grace) {
  const auto status = runner->stop(grace);
  runner.reset();
  const auto uid = pod["metadata"].value("uid", "");
  (void)hosts_.removePod(uid);
  addresses_.release(uid);
  return status;
}

fs::path MiniSandbox::emptyDir(const std::string& pod, const std::string& volume) const {
  const auto dir = dir_ / "volumes" / pod / volume;
  fs::create_directories(dir);
  return dir;
}

std::string describe(const PodRunner& runner, const Json& pod) {
  std::ostringstream out;
  out << "pod " << pod["metadata"].value("name", "")
      << " status: " << runner.status().toJson().dump() << "\nevents:\n";
  for (const auto& e : runner.events()) out << "  " << e << "\n";
  for (const auto& c : pod["spec"]["containers"]) {
    for (bool previous : {true, false}) {
      const auto file = runner.logFile(c.value("name", ""), previous);
      if (!file) continue;
      auto text = slurp(*file);
      if (text.size() > 3000) text = "..." + text.substr(text.size() - 3000);
      out << "log of " << c.value("name", "") << (previous ? " (previous)" : "") << ":\n"
          << text << "\n";
    }
  }
  return out.str();
}

}  // namespace zkop::sandbox::kubelet::testing
