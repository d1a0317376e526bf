#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "operator/runtime/clock.h"
#include "operator/runtime/encoding.h"
#include "operator/runtime/rest_config.h"

namespace zkop::runtime {

// A fixed bearer token or basic-auth pair from a kubeconfig.
class StaticCredentials final : public CredentialSource {
 public:
  static std::shared_ptr<StaticCredentials> bearer(std::string token);
  static std::shared_ptr<StaticCredentials> basic(const std::string& user, const std::string& pw);
  explicit StaticCredentials(std::string header) : header_(std::move(header)) {}
  Result<std::string> authorizationHeader() override { return header_; }

 private:
  std::string header_;
};

// A bearer token read from a file and re-read once it is older than `reread_after`: the kubelet
// rotates projected service-account tokens in place (client-go re-reads every minute too).
// Thread-safety: internally locked.
class FileTokenCredentials final : public CredentialSource {
 public:
  FileTokenCredentials(std::filesystem::path path, std::shared_ptr<Clock> clock,
                       std::chrono::seconds reread_after = std::chrono::seconds(60));
  Result<std::string> authorizationHeader() override;

 private:
  std::filesystem::path path_;
  std::shared_ptr<Clock> clock_;
  std::chrono::seconds reread_after_;
  std::mutex mutex_;
  std::string token_;
  std::optional<Clock::TimePoint> read_at_;
};

// An exec credential plugin (client.authentication.k8s.io ExecCredential), as kubectl runs it.
struct ExecConfig {
  std::string command;
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> env;
  std::string api_version = "client.authentication.k8s.io/v1";
  std::string install_hint;
};

// Runs a command with extra environment and returns its stdout; non-zero exit is an error that
// carries stderr. Injected so tests can script a plugin without processes if they want.
using CommandRunner = std::function<Result<std::string>(
    const std::string& command, const std::vector<std::string>& args,
    const std::vector<std::pair<std::string, std::string>>& env)>;

// fork/exec runner used in production.
Result<std::string> runCommand(const std::string& command, const std::vector<std::string>& args,
                               const std::vector<std::pair<std::string, std::string>>& env);

// Caches the plugin's token until its expirationTimestamp (a token without expiry is kept for
// the life of the process, as kubectl does); runs the plugin again after expiry or after
// invalidate() (called when the server answers 401).
// Thread-safety: internally locked; the plugin runs at most once at a time.
class ExecCredentials final : public CredentialSource {
 public:
  ExecCredentials(ExecConfig config, std::shared_ptr<Clock> clock,
                  CommandRunner runner = runCommand);
  Result<std::string> authorizationHeader() override;
  void invalidate() override;

 private:
  ExecConfig config_;
  std::shared_ptr<Clock> clock_;
  CommandRunner runner_;
  std::mutex mutex_;
  std::string token_;
  std::optional<Clock::WallTime> expires_;
  bool have_token_ = false;
};

}  // namespace zkop::runtime
