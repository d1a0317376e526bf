#include "tests/support/local_ensemble.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "operator/zookeeper/digest.h"
#include "operator/zookeeper/four_letter_words.h"

namespace zkop::testing {
namespace fs = std::filesystem;

namespace {

// The server's classpath: Debian's package (jar manifest pulls its dependencies) plus a
// logging binding, or an unpacked distribution under ZOOKEEPER_HOME.
std::string classpath() {
  if (const char* home = std::getenv("ZOOKEEPER_HOME")) {
    return std::string(home) + "/lib/*";
  }
  std::string cp = "/usr/share/java/zookeeper.jar";
  if (fs::exists("/usr/share/java/slf4j-simple.jar")) cp += ":/usr/share/java/slf4j-simple.jar";
  return cp;
}

std::string tail(const fs::path& file, std::size_t lines) {
  std::ifstream in(file);
  std::vector<std::string> all;
  for (std::string line; std::getline(in, line);) all.push_back(line);
  std::string out;
  for (std::size_t i = all.size() > lines ? all.size() - lines : 0; i < all.size(); ++i) {
    out += "    " + all[i] + "\n";
  }
  return out;
}

}  // namespace

LocalEnsemble::LocalEnsemble(const std::string& name)
    : dir_(fs::path(ZKOP_BINARY_DIR) / "test-tmp" / "ensembles" / name) {
  const auto hash = std::hash<std::string>{}(name);
  octet2_ = 10 + static_cast<int>(hash % 200);
  octet3_ = static_cast<int>((hash / 200) % 250);
  fs::remove_all(dir_);
  fs::create_directories(dir_);
}

LocalEnsemble::~LocalEnsemble() {
  for (auto& [myid, pid] : servers_) {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
  }
}

std::string LocalEnsemble::ip(int myid) const {
  return "127." + std::to_string(octet2_) + "." + std::to_string(octet3_) + "." +
         std::to_string(myid);
}

render::ServerEntry LocalEnsemble::entry(int myid, api::MemberRole role) const {
  render::ServerEntry e;
  e.myid = myid;
  e.host = ip(myid);
  e.role = role;
  return e;
}

render::DynamicConfig LocalEnsemble::config(int participants) const {
  render::DynamicConfig c;
  for (int id = 1; id <= participants; ++id) c.servers.push_back(entry(id));
  return c;
}

void LocalEnsemble::start(int myid, const render::DynamicConfig& config) {
  const auto home = dir_ / ("server-" + std::to_string(myid));
  fs::create_directories(home / "data");
  std::ofstream(home / "data" / "myid") << myid << "\n";
  const auto dynamic = home / ("zoo.cfg.dynamic." + config.versionHex());
  std::ofstream(dynamic) << config.serverLines();
  std::ofstream(home / "zoo.cfg") << "tickTime=500\ninitLimit=20\nsyncLimit=10\n"
                                  << "dataDir=" << (home / "data").string() << "\n"
                                  << "dynamicConfigFile=" << dynamic.string() << "\n"
                                  << "reconfigEnabled=true\nstandaloneEnabled=false\n"
                                  << "4lw.commands.whitelist=*\nadmin.enableServer=false\n";
  const std::string digest = "-Dzookeeper.DigestAuthenticationProvider.superDigest=" +
                             zookeeper::digestCredential("super", kSuperPassword);
  const std::string cp = classpath();
  const std::string cfg = (home / "zoo.cfg").string();
  const std::string log = (home / "server.log").string();

  const pid_t pid = fork();
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    setpgid(0, 0);
    std::freopen(log.c_str(), "a", stdout);
    std::freopen(log.c_str(), "a", stderr);
    std::vector<std::string> args = {"java",
                                     "-Xmx192m",
                                     "-XX:+UseSerialGC",
                                     "-XX:TieredStopAtLevel=1",
                                     digest,
                                     "-cp",
                                     cp,
                                     "org.apache.zookeeper.server.quorum.QuorumPeerMain",
                                     cfg};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execvp("java", argv.data());
    _exit(127);
  }
  servers_[myid] = pid;
}

void LocalEnsemble::stop(int myid) {
  auto it = servers_.find(myid);
  if (it == servers_.end()) return;
  kill(it->second, SIGTERM);
  waitpid(it->second, nullptr, 0);
  servers_.erase(it);
}

bool LocalEnsemble::running(int myid) {
  auto it = servers_.find(myid);
  return it != servers_.end() && waitpid(it->second, nullptr, WNOHANG) == 0;
}

observe::ServerStatus LocalEnsemble::status(int myid) const {
  auto answer = zookeeper::askFourLetterWord(ip(myid), 2181, "srvr", std::chrono::seconds(3));
  if (!answer) return {};
  return observe::parseSrvr(*answer);
}

bool LocalEnsemble::waitUntil(const std::function<bool()>& ready, std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (ready()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // poll interval, not a wait
  }
  return ready();
}

int LocalEnsemble::leader() const {
  for (const auto& [myid, pid] : servers_) {
    if (status(myid).mode == observe::ServerMode::Leader) return myid;
  }
  return 0;
}

std::string LocalEnsemble::describe(bool withLogs) const {
  std::ostringstream out;
  for (const auto& [myid, pid] : servers_) {
    const auto s = status(myid);
    out << "  server " << myid << " (" << ip(myid) << ", pid " << pid << "): " << modeName(s.mode)
        << (s.zxid ? " zxid 0x" +
                         [&] {
                           std::ostringstream hex;
                           hex << std::hex << *s.zxid;
                           return hex.str();
                         }()
                   : std::string())
        << "\n";
    if (withLogs) out << tail(dir_ / ("server-" + std::to_string(myid)) / "server.log", 15);
  }
  return out.str();
}

}  // namespace zkop::testing
