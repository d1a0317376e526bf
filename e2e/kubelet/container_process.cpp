#include "e2e/kubelet/container_process.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <thread>
#include <utility>

#include "e2e/kubelet/unique_fd.h"

namespace zkop::sandbox::kubelet {
namespace {

// Stages the child reports on failure (before it can exec).
enum Stage : int {
  kDeathSignal = 1,
  kSession,
  kStdio,
  kRoot,
  kHostname,
  kChroot,
  kChdir,
  kCredentials,
  kExec,
  kNamespace,
};

struct ChildFailure {
  int stage = 0;
  int op = -1;  // index into the root plan for kRoot
  int err = 0;
};

// Everything the child needs, as raw pointers into storage owned by the parent's frame.
struct Prepared {
  std::vector<std::string> candidates;  // executable paths to try, in PATH order
  std::vector<char*> argv;
  std::vector<char*> envp;
  std::vector<char*> candidatePtrs;
};

Prepared prepare(const std::vector<std::string>& argvIn, const std::vector<std::string>& env) {
  Prepared p;
  const std::string& file = argvIn.at(0);
  if (file.find('/') != std::string::npos) {
    p.candidates.push_back(file);
  } else {
    std::string path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    for (const auto& e : env) {
      if (e.starts_with("PATH=")) path = e.substr(5);
    }
    std::size_t start = 0;
    while (start <= path.size()) {
      const auto end = std::min(path.find(':', start), path.size());
      const auto dir = path.substr(start, end - start);
      p.candidates.push_back((dir.empty() ? "." : dir) + "/" + file);
      start = end + 1;
    }
  }
  for (const auto& a : argvIn) p.argv.push_back(const_cast<char*>(a.c_str()));
  p.argv.push_back(nullptr);
  for (const auto& e : env) p.envp.push_back(const_cast<char*>(e.c_str()));
  p.envp.push_back(nullptr);
  for (auto& c : p.candidates) p.candidatePtrs.push_back(c.data());
  return p;
}

[[noreturn]] void fail(int fd, int stage, int op = -1) noexcept {
  ChildFailure f{stage, op, errno};
  [[maybe_unused]] auto n = ::write(fd, &f, sizeof f);
  ::_exit(127);
}

// The child inherits the spawning thread's signal mask and ignored signals (a server often
// ignores SIGPIPE); a container starts with defaults.
void resetSignals() noexcept {
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; ++sig) ::sigaction(sig, &dfl, nullptr);
  sigset_t none;
  ::sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
}

// Raw syscalls, not glibc's setuid/setgid: those broadcast the change to every thread the
// parent had, and a child made by a raw clone still believes it has them: it would wait
// forever for threads that do not exist. The raw calls change this (only) thread.
// The kernel clears the parent-death signal when the credentials change, so it is armed
// (again) after them, and the lifeline checked after that: a kubelet that died before
// that point is noticed through the closed pipe.
void armDeathSignal(int lifeFd, int errFd) noexcept {
  if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) fail(errFd, kDeathSignal);
  if (lifeFd < 0) return;
  pollfd life{lifeFd, POLLIN, 0};
  if (::poll(&life, 1, 0) > 0) ::_exit(137);  // the kubelet is already gone
}

void dropCredentials(const std::optional<Credentials>& creds, int errFd) noexcept {
  if (!creds) return;
  if (::syscall(SYS_setgroups, creds->groups.size(), creds->groups.data()) != 0 ||
      ::syscall(SYS_setresgid, creds->gid, creds->gid, creds->gid) != 0 ||
      ::syscall(SYS_setresuid, creds->uid, creds->uid, creds->uid) != 0) {
    fail(errFd, kCredentials);
  }
}

[[noreturn]] void execCandidates(const Prepared& p, int errFd) noexcept {
  // Other descriptors of the kubelet must not leak into the container.
  ::syscall(SYS_close_range, 3U, ~0U, 4U /* CLOSE_RANGE_CLOEXEC */);
  int firstError = ENOENT;
  for (char* candidate : p.candidatePtrs) {
    ::execve(candidate, p.argv.data(), p.envp.data());
    if (errno != ENOENT && errno != ENOTDIR) firstError = errno;
  }
  errno = firstError;
  fail(errFd, kExec);
}

ExitStatus decode(int status) {
  if (WIFSIGNALED(status)) return {128 + WTERMSIG(status), WTERMSIG(status)};
  return {WEXITSTATUS(status), 0};
}

std::string describeFailure(const ChildFailure& f, const LaunchSpec* spec) {
  switch (f.stage) {
    case kDeathSignal:
      return "set parent-death signal";
    case kSession:
      return "setsid";
    case kStdio:
      return "redirect stdio";
    case kRoot:
      return spec && f.op >= 0 && static_cast<std::size_t>(f.op) < spec->root.ops.size()
                 ? spec->root.ops[static_cast<std::size_t>(f.op)].describe()
                 : "build pod root";
    case kHostname:
      return "sethostname";
    case kChroot:
      return "chroot";
    case kChdir:
      return "chdir to working dir";
    case kCredentials:
      return "switch user";
    case kExec:
      return "exec";
    case kNamespace:
      return "enter container namespaces";
  }
  return "child setup";
}

}  // namespace

Result<ContainerProcess> ContainerProcess::spawn(const LaunchSpec& spec) {
  if (spec.argv.empty()) return specError("spawn", "no command (images have no entrypoint here)");
  const Prepared prepared = prepare(spec.argv, spec.env);
  UniqueFd log(::open(spec.logFile.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640));
  if (!log) return sysError("open log " + spec.logFile.string());
  UniqueFd devNull(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  if (!devNull) return sysError("open /dev/null");
  int errPipe[2];
  if (::pipe2(errPipe, O_CLOEXEC) != 0) return sysError("pipe");
  UniqueFd errRead(errPipe[0]), errWrite(errPipe[1]);
  int lifePipe[2];  // closes when the kubelet dies: lets the child detect a death before
  if (::pipe2(lifePipe, O_CLOEXEC) != 0) return sysError("pipe");  // its PDEATHSIG was set
  UniqueFd lifeRead(lifePipe[0]), lifeWrite(lifePipe[1]);
  const int errFd = errWrite.get();

  // clone(2) without a stack argument behaves like fork, with the new namespaces; the
  // glibc wrapper needs a separate stack, which fork semantics do not.
  const long rc = ::syscall(SYS_clone, CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWPID | SIGCHLD, nullptr,
                            nullptr, nullptr, nullptr);
  if (rc < 0) return sysError("clone container");
  if (rc == 0) {
    ::close(lifeWrite.get());
    armDeathSignal(lifeRead.get(), errFd);  // for the setup below
    resetSignals();
    if (::setsid() < 0) fail(errFd, kSession);
    if (::dup2(devNull.get(), 0) < 0 || ::dup2(log.get(), 1) < 0 || ::dup2(log.get(), 2) < 0) {
      fail(errFd, kStdio);
    }
    if (const int op = applyPodRoot(spec.root); op >= 0) fail(errFd, kRoot, op);
    if (::sethostname(spec.hostname.data(), spec.hostname.size()) != 0) fail(errFd, kHostname);
    if (::chroot(spec.root.root.c_str()) != 0) fail(errFd, kChroot);
    if (::chdir(spec.workingDir.empty() ? "/" : spec.workingDir.c_str()) != 0) {
      fail(errFd, kChdir);
    }
    dropCredentials(spec.credentials, errFd);
    armDeathSignal(lifeRead.get(), errFd);
    execCandidates(prepared, errFd);
  }
  const auto pid = static_cast<pid_t>(rc);
  ContainerProcess process(pid);
  errWrite.reset();
  // The child only makes syscalls before exec, so it is quick; a bound keeps a child that
  // hangs anyway (a mount on a dead NFS server, a bug) from hanging the kubelet.
  pollfd done{errRead.get(), POLLIN, 0};
  int ready;
  do {
    ready = ::poll(&done, 1, 30000);
  } while (ready < 0 && errno == EINTR);
  if (ready == 0) {
    process.killAndReap();
    return specError("start container", "the child did not exec within 30 s");
  }
  ChildFailure failure;
  ssize_t n;
  do {
    n = ::read(errRead.get(), &failure, sizeof failure);
  } while (n < 0 && errno == EINTR);
  if (n == static_cast<ssize_t>(sizeof failure)) {
    process.killAndReap();
    return std::unexpected(
        KubeletError{"start container", describeFailure(failure, &spec), failure.err});
  }
  return process;
}

ContainerProcess::~ContainerProcess() { killAndReap(); }

ContainerProcess::ContainerProcess(ContainerProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, 0)) {}

ContainerProcess& ContainerProcess::operator=(ContainerProcess&& other) noexcept {
  if (this != &other) {
    killAndReap();
    pid_ = std::exchange(other.pid_, 0);
  }
  return *this;
}

Result<void> ContainerProcess::signalGroup(int sig) const {
  if (pid_ <= 0) return specError("signal container", "not running");
  if (::kill(-pid_, sig) != 0 && ::kill(pid_, sig) != 0) {
    return sysError("signal container " + std::to_string(pid_));
  }
  return {};
}

std::optional<ExitStatus> ContainerProcess::poll() {
  if (pid_ <= 0) return std::nullopt;
  int status = 0;
  const pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    pid_ = 0;
    return decode(status);
  }
  if (r < 0 && errno == ECHILD) {  // reaped elsewhere: report it gone
    pid_ = 0;
    return ExitStatus{137, SIGKILL};
  }
  return std::nullopt;
}

std::optional<ExitStatus> ContainerProcess::killAndReap() {
  if (pid_ <= 0) return std::nullopt;
  ::kill(-pid_, SIGKILL);
  ::kill(pid_, SIGKILL);
  int status = 0;
  pid_t r;
  do {
    r = ::waitpid(pid_, &status, 0);
  } while (r < 0 && errno == EINTR);
  pid_ = 0;
  if (r <= 0) return ExitStatus{137, SIGKILL};
  return decode(status);
}

Result<ExecOutcome> execInContainer(pid_t containerPid, const ExecRequest& request,
                                    std::chrono::milliseconds timeout) {
  if (request.argv.empty()) return specError("exec in container", "no command");
  const std::string proc = "/proc/" + std::to_string(containerPid);
  UniqueFd mntNs(::open((proc + "/ns/mnt").c_str(), O_RDONLY | O_CLOEXEC));
  UniqueFd utsNs(::open((proc + "/ns/uts").c_str(), O_RDONLY | O_CLOEXEC));
  UniqueFd root(::open((proc + "/root").c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!mntNs || !utsNs || !root) return sysError("open namespaces of " + proc);
  UniqueFd devNull(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  const Prepared prepared = prepare(request.argv, request.env);
  int outPipe[2], errPipe[2];
  if (::pipe2(outPipe, O_CLOEXEC) != 0) return sysError("pipe");
  UniqueFd outRead(outPipe[0]), outWrite(outPipe[1]);
  if (::pipe2(errPipe, O_CLOEXEC) != 0) return sysError("pipe");
  UniqueFd errRead(errPipe[0]), errWrite(errPipe[1]);
  const int errFd = errWrite.get();

  const pid_t pid = ::fork();
  if (pid < 0) return sysError("fork");
  if (pid == 0) {
    ::setpgid(0, 0);
    if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) fail(errFd, kDeathSignal);
    resetSignals();
    if (::dup2(devNull.get(), 0) < 0 || ::dup2(outWrite.get(), 1) < 0 ||
        ::dup2(outWrite.get(), 2) < 0) {
      fail(errFd, kStdio);
    }
    if (::setns(mntNs.get(), CLONE_NEWNS) != 0 || ::setns(utsNs.get(), CLONE_NEWUTS) != 0) {
      fail(errFd, kNamespace);
    }
    if (::fchdir(root.get()) != 0 || ::chroot(".") != 0) fail(errFd, kChroot);
    if (::chdir(request.workingDir.empty() ? "/" : request.workingDir.c_str()) != 0) {
      fail(errFd, kChdir);
    }
    dropCredentials(request.credentials, errFd);
    armDeathSignal(-1, errFd);
    execCandidates(prepared, errFd);
  }
  outWrite.reset();
  errWrite.reset();

  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + timeout;
  ExecOutcome outcome;
  ChildFailure failure;
  bool setupFailed = false;
  bool outOpen = true, errOpen = true;
  while ((outOpen || errOpen) && Clock::now() < deadline) {
    pollfd fds[2] = {{outOpen ? outRead.get() : -1, POLLIN, 0},
                     {errOpen ? errRead.get() : -1, POLLIN, 0}};
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (::poll(fds, 2, static_cast<int>(std::max<long long>(left, 1))) < 0 && errno != EINTR) {
      break;
    }
    if (fds[0].revents != 0) {
      char buf[4096];
      const ssize_t n = ::read(outRead.get(), buf, sizeof buf);
      if (n <= 0) {
        outOpen = false;
      } else if (outcome.output.size() < 10240) {
        outcome.output.append(buf, static_cast<std::size_t>(n));
      }
    }
    if (fds[1].revents != 0) {
      const ssize_t n = ::read(errRead.get(), &failure, sizeof failure);
      if (n == static_cast<ssize_t>(sizeof failure)) setupFailed = true;
      errOpen = false;
    }
  }
  int status = 0;
  // The output can close before the process exits (it closed its stdout): wait until the
  // deadline for the exit itself.
  while (true) {
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) break;
    if (r < 0 && errno != EINTR) break;
    if (Clock::now() >= deadline) {
      outcome.timedOut = true;
      ::kill(-pid, SIGKILL);
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (setupFailed) {
    return std::unexpected(
        KubeletError{"exec in container", describeFailure(failure, nullptr), failure.err});
  }
  outcome.status = decode(status);
  return outcome;
}

}  // namespace zkop::sandbox::kubelet
