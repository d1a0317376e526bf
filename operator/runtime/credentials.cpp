#include "operator/runtime/credentials.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

extern char** environ;

namespace zkop::runtime {

std::shared_ptr<StaticCredentials> StaticCredentials::bearer(std::string token) {
  return std::make_shared<StaticCredentials>("Bearer " + token);
}

std::shared_ptr<StaticCredentials> StaticCredentials::basic(const std::string& user,
                                                            const std::string& pw) {
  return std::make_shared<StaticCredentials>("Basic " + base64Encode(user + ":" + pw));
}

namespace {

std::string trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t start = 0;
  while (start < s.size() && std::isspace(static_cast<unsigned char>(s[start]))) ++start;
  return s.substr(start);
}

}  // namespace

FileTokenCredentials::FileTokenCredentials(std::filesystem::path path, std::shared_ptr<Clock> clock,
                                           std::chrono::seconds reread_after)
    : path_(std::move(path)), clock_(std::move(clock)), reread_after_(reread_after) {}

Result<std::string> FileTokenCredentials::authorizationHeader() {
  std::lock_guard lock(mutex_);
  auto now = clock_->now();
  if (!read_at_ || now - *read_at_ >= reread_after_) {
    std::ifstream in(path_);
    std::stringstream content;
    if (in) content << in.rdbuf();
    std::string token = trim(content.str());
    if (!in || token.empty()) {
      // Keep serving the last good token through a rotation hiccup; fail only if we never had one.
      if (token_.empty()) {
        return fail(ErrorCategory::kConfig, "cannot read bearer token file " + path_.string() +
                                                ": " +
                                                (in ? "file is empty" : std::strerror(errno)));
      }
    } else {
      token_ = std::move(token);
    }
    read_at_ = now;
  }
  return "Bearer " + token_;
}

Result<std::string> runCommand(const std::string& command, const std::vector<std::string>& args,
                               const std::vector<std::pair<std::string, std::string>>& env) {
  int out_pipe[2];
  int err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) {
    return fail(ErrorCategory::kConfig, std::string("pipe: ") + std::strerror(errno));
  }
  if (pipe2(err_pipe, O_CLOEXEC) != 0) {
    close(out_pipe[0]);
    close(out_pipe[1]);
    return fail(ErrorCategory::kConfig, std::string("pipe: ") + std::strerror(errno));
  }
  // Build argv/envp before fork: only async-signal-safe calls are allowed in the child.
  std::vector<std::string> env_strings;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) env_strings.emplace_back(*e);
  for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv_strings{command};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& s : argv_strings) argv.push_back(s.data());
  argv.push_back(nullptr);

  pid_t pid = fork();
  if (pid < 0) {
    return fail(ErrorCategory::kConfig, std::string("fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    dup2(out_pipe[1], STDOUT_FILENO);
    dup2(err_pipe[1], STDERR_FILENO);
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, STDIN_FILENO);
    execvpe(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);
  std::string out;
  std::string err;
  std::array<pollfd, 2> fds{pollfd{out_pipe[0], POLLIN, 0}, pollfd{err_pipe[0], POLLIN, 0}};
  int open_fds = 2;
  std::array<char, 4096> buf{};
  while (open_fds > 0) {
    if (poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      ssize_t n = read(fds[i].fd, buf.data(), buf.size());
      if (n > 0) {
        (i == 0 ? out : err).append(buf.data(), static_cast<size_t>(n));
      } else {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::string what = WIFEXITED(status) ? "exit code " + std::to_string(WEXITSTATUS(status))
                                         : std::string("killed by a signal");
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127) what = "could not be executed";
    return fail(ErrorCategory::kConfig, command + ": " + what + ": " + trim(err));
  }
  return out;
}

ExecCredentials::ExecCredentials(ExecConfig config, std::shared_ptr<Clock> clock,
                                 CommandRunner runner)
    : config_(std::move(config)), clock_(std::move(clock)), runner_(std::move(runner)) {}

void ExecCredentials::invalidate() {
  std::lock_guard lock(mutex_);
  have_token_ = false;
}

Result<std::string> ExecCredentials::authorizationHeader() {
  std::lock_guard lock(mutex_);
  if (have_token_ && (!expires_ || clock_->wallNow() < *expires_)) return "Bearer " + token_;

  nlohmann::json info = {{"apiVersion", config_.api_version},
                         {"kind", "ExecCredential"},
                         {"spec", {{"interactive", false}}}};
  auto env = config_.env;
  env.emplace_back("KUBERNETES_EXEC_INFO", info.dump());
  auto out = runner_(config_.command, config_.args, env);
  if (!out) {
    Error e = out.error();
    e.message = "exec credential plugin " + e.message;
    if (!config_.install_hint.empty()) e.message += " (" + config_.install_hint + ")";
    return std::unexpected(e);
  }
  auto cred = nlohmann::json::parse(*out, nullptr, false);
  if (!cred.is_object()) {
    return fail(ErrorCategory::kConfig,
                "exec credential plugin " + config_.command + " printed no ExecCredential JSON");
  }
  if (cred.value("kind", "") != "ExecCredential") {
    return fail(ErrorCategory::kConfig, "exec credential plugin " + config_.command +
                                            " printed kind '" + cred.value("kind", "") +
                                            "', want ExecCredential");
  }
  if (cred.value("apiVersion", "") != config_.api_version) {
    return fail(ErrorCategory::kConfig,
                "exec credential plugin " + config_.command + " answered apiVersion '" +
                    cred.value("apiVersion", "") + "', want " + config_.api_version);
  }
  const auto status = cred.value("status", nlohmann::json::object());
  std::string token = status.value("token", "");
  if (token.empty()) {
    return fail(ErrorCategory::kConfig,
                "exec credential plugin " + config_.command +
                    " returned no status.token (client certificates from plugins are not "
                    "supported)");
  }
  expires_.reset();
  if (auto exp = status.find("expirationTimestamp"); exp != status.end() && exp->is_string()) {
    expires_ = parseRfc3339(exp->get<std::string>());
    if (!expires_) {
      return fail(ErrorCategory::kConfig, "exec credential plugin " + config_.command +
                                              " returned an unparseable expirationTimestamp");
    }
  }
  token_ = std::move(token);
  have_token_ = true;
  return "Bearer " + token_;
}

}  // namespace zkop::runtime
