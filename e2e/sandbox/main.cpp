// zkop-sandbox: a local Kubernetes API server for the zkop end-to-end suite and demos.
#include <CLI/CLI.hpp>

#include "e2e/sandbox/server/sandbox_command.h"

int main(int argc, char** argv) {
  CLI::App app{"zkop-sandbox: a local Kubernetes API server that kubectl accepts"};
  app.require_subcommand(1);

  zkop::sandbox::UpOptions up;
  std::string up_dir;
  long long bookmark_ms = 10000;
  auto* up_cmd = app.add_subcommand("up", "Serve in the foreground until SIGINT/SIGTERM");
  up_cmd->add_option("--state-dir", up_dir, "Directory for kubeconfig, certificates and state")
      ->required();
  up_cmd->add_option("--port", up.port, "Port on 127.0.0.1 (0: any free port)");
  up_cmd->add_flag("--insecure-http", up.insecure_http, "Serve plain HTTP instead of HTTPS");
  up_cmd
      ->add_option("--history-size", up.history_size,
                   "Watch events kept for resuming; older resourceVersions get 410 Expired")
      ->check(CLI::PositiveNumber);
  up_cmd->add_option("--bookmark-interval-ms", bookmark_ms, "Interval of BOOKMARK events")
      ->check(CLI::PositiveNumber);
  up_cmd->add_flag("-v,--verbose", up.verbose, "Log every request");
  bool no_node = false;
  bool no_controllers = false;
  up_cmd->add_flag("--no-node", no_node, "Run no kubelet: pods are stored, never started");
  up_cmd->add_flag("--no-controllers", no_controllers,
                   "Run no StatefulSet controller or claim binder (API only with --no-node)");

  std::string down_dir;
  int down_timeout = 30;
  auto* down_cmd = app.add_subcommand("down", "Stop the sandbox serving from a state dir");
  down_cmd->add_option("--state-dir", down_dir, "State dir of the running sandbox")->required();
  down_cmd->add_option("--timeout", down_timeout, "Seconds to wait for it to exit");

  CLI11_PARSE(app, argc, argv);
  if (up_cmd->parsed()) {
    up.state_dir = up_dir;
    up.node = !no_node;
    up.controllers = !no_controllers;
    up.bookmark_interval = std::chrono::milliseconds(bookmark_ms);
    return zkop::sandbox::run_up(up);
  }
  return zkop::sandbox::run_down(down_dir, std::chrono::seconds(down_timeout));
}
