// main() only parses the command line and delegates to the library.
#include <CLI/CLI.hpp>
#include <iostream>

#include "operator/cli/version_command.h"

int main(int argc, char** argv) {
  CLI::App app{"zkop: a quorum-safe ZooKeeper operator for Kubernetes"};
  app.require_subcommand(1);
  auto* version = app.add_subcommand("version", "Print the operator version");
  CLI11_PARSE(app, argc, argv);
  if (*version) return zkop::cli::runVersion(std::cout);
  return 0;
}
