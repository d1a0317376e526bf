#include "operator/runtime/kubeconfig.h"

#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>

#include "operator/runtime/encoding.h"

namespace zkop::runtime {

namespace fs = std::filesystem;

ConfigOptions ConfigOptions::fromProcess(std::string kubeconfig_path, std::string context) {
  ConfigOptions options;
  options.kubeconfig_path = std::move(kubeconfig_path);
  options.context = std::move(context);
  auto env = [](const char* name) -> std::optional<std::string> {
    const char* value = std::getenv(name);
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
  options.kubeconfig_env = env("KUBECONFIG");
  options.home = env("HOME").value_or("");
  options.service_host = env("KUBERNETES_SERVICE_HOST");
  options.service_port = env("KUBERNETES_SERVICE_PORT");
  return options;
}

namespace {

// One named entry (cluster, user or context) and the directory of the file it came from, for
// resolving relative paths.
struct Entry {
  YAML::Node node;
  fs::path base_dir;
  fs::path file;
};

struct Merged {
  std::map<std::string, Entry> clusters;
  std::map<std::string, Entry> users;
  std::map<std::string, Entry> contexts;
  std::string current_context;
  std::vector<std::string> files;
};

Result<std::string> readFile(const fs::path& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return fail(ErrorCategory::kConfig,
                "cannot read " + what + " " + path.string() + ": " + std::strerror(errno));
  }
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

fs::path resolve(const fs::path& base, const std::string& value) {
  fs::path p(value);
  if (p.is_relative()) return base / p;
  return p;
}

std::string scalar(const YAML::Node& node, const char* key) {
  if (!node || !node.IsMap()) return {};
  const YAML::Node v = node[key];
  if (!v || !v.IsScalar()) return {};
  return v.as<std::string>();
}

// Adds one file's entries where no earlier file defined the same name (first wins).
Result<void> mergeFile(const fs::path& file, Merged& merged) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(file.string());
  } catch (const YAML::Exception& e) {
    return fail(ErrorCategory::kConfig,
                "kubeconfig " + file.string() + " is not valid YAML: " + e.what());
  }
  merged.files.push_back(file.string());
  if (!root || root.IsNull()) return {};  // an empty file is allowed, like kubectl
  if (!root.IsMap()) {
    return fail(ErrorCategory::kConfig, "kubeconfig " + file.string() + " is not a mapping");
  }
  fs::path base = fs::absolute(file).parent_path();
  auto add = [&](const char* list_key, const char* item_key,
                 std::map<std::string, Entry>& into) -> Result<void> {
    const YAML::Node list = root[list_key];
    if (!list || list.IsNull()) return {};
    if (!list.IsSequence()) {
      return fail(ErrorCategory::kConfig,
                  "kubeconfig " + file.string() + ": " + list_key + " must be a list");
    }
    for (const auto& item : list) {
      std::string name = scalar(item, "name");
      if (name.empty()) {
        return fail(ErrorCategory::kConfig,
                    "kubeconfig " + file.string() + ": an entry of " + list_key + " has no name");
      }
      into.try_emplace(name, Entry{item[item_key], base, file});
    }
    return {};
  };
  if (auto r = add("clusters", "cluster", merged.clusters); !r) return r;
  if (auto r = add("users", "user", merged.users); !r) return r;
  if (auto r = add("contexts", "context", merged.contexts); !r) return r;
  if (merged.current_context.empty()) merged.current_context = scalar(root, "current-context");
  return {};
}

// A PEM from either `<key>-data` (base64, wins) or `<key>` (a file path).
Result<std::string> pemField(const Entry& entry, const std::string& key, const std::string& where) {
  std::string data = scalar(entry.node, (key + "-data").c_str());
  if (!data.empty()) {
    auto decoded = base64Decode(data);
    if (!decoded) {
      return fail(ErrorCategory::kConfig, where + ": " + key + "-data is not valid base64");
    }
    return *decoded;
  }
  std::string path = scalar(entry.node, key.c_str());
  if (path.empty()) return std::string();
  return readFile(resolve(entry.base_dir, path), where + " " + key);
}

Result<std::shared_ptr<CredentialSource>> userCredentials(const Entry& user,
                                                          const std::string& where,
                                                          const ConfigOptions& options) {
  const std::string token = scalar(user.node, "token");
  const std::string token_file = scalar(user.node, "tokenFile");
  const std::string username = scalar(user.node, "username");
  const std::string password = scalar(user.node, "password");
  const YAML::Node exec = user.node ? user.node["exec"] : YAML::Node();
  if (user.node && user.node["auth-provider"]) {
    return fail(ErrorCategory::kConfig,
                where + ": auth-provider plugins are not supported; use an exec plugin");
  }
  if ((!token.empty() || !token_file.empty()) && !username.empty()) {
    return fail(ErrorCategory::kConfig,
                where + ": username/password or bearer token may be set, but not both");
  }
  if (!token.empty()) return std::shared_ptr<CredentialSource>(StaticCredentials::bearer(token));
  if (!token_file.empty()) {
    auto creds =
        std::make_shared<FileTokenCredentials>(resolve(user.base_dir, token_file), options.clock);
    // Fail now on a missing file rather than on the first request.
    if (auto header = creds->authorizationHeader(); !header) {
      return std::unexpected(header.error());
    }
    return std::shared_ptr<CredentialSource>(creds);
  }
  if (!username.empty()) {
    return std::shared_ptr<CredentialSource>(StaticCredentials::basic(username, password));
  }
  if (exec && !exec.IsNull()) {
    ExecConfig config;
    config.command = scalar(exec, "command");
    if (config.command.empty()) {
      return fail(ErrorCategory::kConfig, where + ": exec plugin has no command");
    }
    config.api_version = scalar(exec, "apiVersion");
    if (config.api_version.empty()) {
      return fail(ErrorCategory::kConfig, where + ": exec plugin has no apiVersion");
    }
    if (config.api_version != "client.authentication.k8s.io/v1" &&
        config.api_version != "client.authentication.k8s.io/v1beta1") {
      return fail(ErrorCategory::kConfig,
                  where + ": exec plugin apiVersion " + config.api_version + " is not supported");
    }
    // kubectl resolves a command with a path separator against the kubeconfig's directory and
    // looks a bare name up in $PATH.
    if (config.command.find('/') != std::string::npos) {
      config.command = resolve(user.base_dir, config.command).string();
    }
    if (const YAML::Node args = exec["args"]; args && args.IsSequence()) {
      for (const auto& a : args) config.args.push_back(a.as<std::string>());
    }
    if (const YAML::Node env = exec["env"]; env && env.IsSequence()) {
      for (const auto& e : env) config.env.emplace_back(scalar(e, "name"), scalar(e, "value"));
    }
    config.install_hint = scalar(exec, "installHint");
    return std::shared_ptr<CredentialSource>(
        std::make_shared<ExecCredentials>(std::move(config), options.clock, options.exec_runner));
  }
  return std::shared_ptr<CredentialSource>();
}

Result<RestConfig> buildConfig(const Merged& merged, const ConfigOptions& options) {
  std::string files;
  for (const auto& f : merged.files) files += (files.empty() ? "" : ":") + f;
  const std::string context_name =
      options.context.empty() ? merged.current_context : options.context;
  if (context_name.empty()) {
    return fail(ErrorCategory::kConfig,
                "kubeconfig " + files + " has no current-context and no --context was given");
  }
  auto ctx = merged.contexts.find(context_name);
  if (ctx == merged.contexts.end()) {
    return fail(ErrorCategory::kConfig,
                "context \"" + context_name + "\" does not exist in kubeconfig " + files);
  }
  const std::string cluster_name = scalar(ctx->second.node, "cluster");
  const std::string user_name = scalar(ctx->second.node, "user");
  auto cluster = merged.clusters.find(cluster_name);
  if (cluster_name.empty() || cluster == merged.clusters.end()) {
    return fail(ErrorCategory::kConfig, "context \"" + context_name + "\" refers to cluster \"" +
                                            cluster_name + "\", which does not exist in " + files);
  }
  const std::string cluster_where = "cluster \"" + cluster_name + "\"";
  RestConfig config;
  config.server = scalar(cluster->second.node, "server");
  if (config.server.empty()) {
    return fail(ErrorCategory::kConfig, cluster_where + " has no server");
  }
  if (config.server.rfind("https://", 0) != 0 && config.server.rfind("http://", 0) != 0) {
    return fail(ErrorCategory::kConfig, cluster_where + ": server \"" + config.server +
                                            "\" must start with https:// or http://");
  }
  while (config.server.size() > 8 && config.server.back() == '/') config.server.pop_back();
  config.tls.insecure_skip_verify =
      scalar(cluster->second.node, "insecure-skip-tls-verify") == "true";
  config.tls.server_name = scalar(cluster->second.node, "tls-server-name");
  auto ca = pemField(cluster->second, "certificate-authority", cluster_where);
  if (!ca) return std::unexpected(ca.error());
  config.tls.ca_pem = std::move(*ca);
  if (config.tls.insecure_skip_verify && !config.tls.ca_pem.empty()) {
    return fail(ErrorCategory::kConfig,
                cluster_where +
                    ": specifying a root certificates file with the insecure flag is "
                    "not allowed");
  }
  if (!user_name.empty()) {
    auto user = merged.users.find(user_name);
    if (user == merged.users.end()) {
      return fail(ErrorCategory::kConfig, "context \"" + context_name + "\" refers to user \"" +
                                              user_name + "\", which does not exist in " + files);
    }
    const std::string user_where = "user \"" + user_name + "\"";
    auto cert = pemField(user->second, "client-certificate", user_where);
    if (!cert) return std::unexpected(cert.error());
    auto key = pemField(user->second, "client-key", user_where);
    if (!key) return std::unexpected(key.error());
    if (cert->empty() != key->empty()) {
      return fail(ErrorCategory::kConfig,
                  user_where + ": client-certificate and client-key must be given together");
    }
    config.tls.client_cert_pem = std::move(*cert);
    config.tls.client_key_pem = std::move(*key);
    auto creds = userCredentials(user->second, user_where, options);
    if (!creds) return std::unexpected(creds.error());
    config.credentials = std::move(*creds);
  }
  std::string ns = scalar(ctx->second.node, "namespace");
  config.namespace_name = ns.empty() ? "default" : ns;
  config.source = "kubeconfig " + files + " (context " + context_name + ")";
  return config;
}

}  // namespace

Result<RestConfig> loadKubeconfig(const ConfigOptions& options) {
  Merged merged;
  if (!options.kubeconfig_path.empty()) {
    if (!fs::exists(options.kubeconfig_path)) {
      return fail(ErrorCategory::kConfig,
                  "kubeconfig " + options.kubeconfig_path + " (from --kubeconfig) does not exist");
    }
    if (auto r = mergeFile(options.kubeconfig_path, merged); !r) return std::unexpected(r.error());
    return buildConfig(merged, options);
  }
  if (options.kubeconfig_env && !options.kubeconfig_env->empty()) {
    std::stringstream list(*options.kubeconfig_env);
    std::string path;
    while (std::getline(list, path, ':')) {
      // kubectl silently skips missing entries of $KUBECONFIG.
      if (path.empty() || !fs::exists(path)) continue;
      if (auto r = mergeFile(path, merged); !r) return std::unexpected(r.error());
    }
    if (merged.files.empty()) {
      return fail(ErrorCategory::kConfig,
                  "none of the files in KUBECONFIG=" + *options.kubeconfig_env + " exists");
    }
    return buildConfig(merged, options);
  }
  if (options.home.empty()) {
    return fail(ErrorCategory::kConfig, "no kubeconfig: KUBECONFIG and HOME are unset");
  }
  fs::path home_config = fs::path(options.home) / ".kube" / "config";
  if (!fs::exists(home_config)) {
    return fail(ErrorCategory::kConfig, "no kubeconfig: " + home_config.string() +
                                            " does not exist and KUBECONFIG is unset");
  }
  if (auto r = mergeFile(home_config, merged); !r) return std::unexpected(r.error());
  return buildConfig(merged, options);
}

Result<RestConfig> loadInClusterConfig(const ConfigOptions& options) {
  if (!options.service_host || options.service_host->empty() || !options.service_port ||
      options.service_port->empty()) {
    return fail(ErrorCategory::kConfig,
                "not running in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT "
                "must be defined");
  }
  const fs::path dir = options.service_account_dir;
  RestConfig config;
  const std::string& host = *options.service_host;
  // An IPv6 literal needs brackets in a URL.
  config.server = "https://" + (host.find(':') != std::string::npos ? "[" + host + "]" : host) +
                  ":" + *options.service_port;
  auto creds = std::make_shared<FileTokenCredentials>(dir / "token", options.clock);
  if (auto header = creds->authorizationHeader(); !header) return std::unexpected(header.error());
  config.credentials = creds;
  auto ca = readFile(dir / "ca.crt", "service account CA");
  if (!ca) return std::unexpected(ca.error());
  config.tls.ca_pem = std::move(*ca);
  if (auto ns = readFile(dir / "namespace", "service account namespace"); ns && !ns->empty()) {
    std::string value = *ns;
    while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back())))
      value.pop_back();
    config.namespace_name = value;
  }
  config.source = "in-cluster service account " + dir.string();
  return config;
}

Result<RestConfig> loadRestConfig(const ConfigOptions& options) {
  if (!options.kubeconfig_path.empty() ||
      (options.kubeconfig_env && !options.kubeconfig_env->empty())) {
    return loadKubeconfig(options);
  }
  if (options.service_host && !options.service_host->empty()) {
    return loadInClusterConfig(options);
  }
  auto home = loadKubeconfig(options);
  if (home) return home;
  Error e = home.error();
  e.message += "; and not running in a cluster (KUBERNETES_SERVICE_HOST unset)";
  return std::unexpected(e);
}

}  // namespace zkop::runtime
