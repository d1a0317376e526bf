// zkop-workload: runs the workload checker against an ensemble until SIGINT/SIGTERM or
// --seconds, then verifies every member and prints the report (text, and JSON to a file).
#include <CLI/CLI.hpp>
#include <csignal>
#include <fstream>
#include <iostream>

#include "e2e/workload/workload_checker.h"

namespace {
volatile std::sig_atomic_t interrupted = 0;
void onSignal(int) { interrupted = 1; }
}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Write sequenced znodes and prove no acknowledged write is lost"};
  zkop::workload::WorkloadConfig config;
  double seconds = 0;
  std::string jsonPath;
  app.add_option("--connect", config.connectString, "Client connect string")->required();
  app.add_option("--member", config.members, "A member to verify (host:port); repeat");
  app.add_option("--members-file", config.membersFile,
                 "Re-read the members from this file (a line per member: host:port [name]) "
                 "while running and when stopping; writes follow it, the last list is verified");
  app.add_option("--rate", config.writesPerSecond, "Writes per second");
  app.add_option("--run-id", config.runId, "Names the znode root /zkop-workload-<id>");
  app.add_option("--seconds", seconds, "Stop after this long (default: on SIGINT/SIGTERM)");
  app.add_option("--json", jsonPath, "Also write the report as JSON to this file");
  CLI11_PARSE(app, argc, argv);
  if (config.members.empty() && config.membersFile.empty()) {
    std::cerr << "zkop-workload: give --member or --members-file\n";
    return 2;
  }

  std::signal(SIGINT, onSignal);
  std::signal(SIGTERM, onSignal);
  zkop::workload::WorkloadChecker checker(config);
  if (auto error = checker.start(); !error.empty()) {
    std::cerr << "zkop-workload: " << error << "\n";
    return 2;
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (!interrupted && (seconds <= 0 || std::chrono::steady_clock::now() < deadline)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  const auto report = checker.finish();
  std::cout << report.toText();
  if (!jsonPath.empty()) std::ofstream(jsonPath) << report.toJson().dump(2) << "\n";
  return report.ok() ? 0 : 1;
}
