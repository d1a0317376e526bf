// main() only parses the command line and delegates to the library.
#include <CLI/CLI.hpp>
#include <iostream>

#include "operator/cli/crd_command.h"
#include "operator/cli/plan_command.h"
#include "operator/cli/render_command.h"
#include "operator/cli/validate_command.h"
#include "operator/cli/version_command.h"

int main(int argc, char** argv) {
  CLI::App app{"zkop: a quorum-safe ZooKeeper operator for Kubernetes"};
  app.require_subcommand(1);

  auto* version = app.add_subcommand("version", "Print the operator version");

  std::string file;
  auto* validate = app.add_subcommand(
      "validate", "Check ZookeeperCluster manifests; print every problem with its field path");
  validate
      ->add_option("-f,--filename", file, "YAML or JSON file, one or many documents; - for stdin")
      ->required();

  auto* render = app.add_subcommand(
      "render", "Print the objects the operator creates for each ZookeeperCluster in a file");
  render->add_option("-f,--filename", file, "YAML or JSON file; - for stdin")->required();

  std::string from;
  auto* plan = app.add_subcommand(
      "plan", "Show the quorum-safe steps from one ZookeeperCluster spec to another");
  plan->add_option("-f,--filename", file, "The wanted spec")->required();
  plan->add_option("--from", from, "The spec the ensemble runs now (omit for a new cluster)");

  bool reference = false;
  auto* crd = app.add_subcommand("crd", "Print the ZookeeperCluster CustomResourceDefinition");
  crd->add_flag("--reference", reference, "Print the Markdown field reference (docs/api.md)");

  CLI11_PARSE(app, argc, argv);
  if (*version) return zkop::cli::runVersion(std::cout);
  if (*validate) return zkop::cli::runValidate(file, std::cout, std::cerr);
  if (*plan) return zkop::cli::runPlan(file, from, std::cout, std::cerr);
  if (*render) return zkop::cli::runRender(file, std::cout, std::cerr);
  if (*crd) return zkop::cli::runCrd(std::cout, reference);
  return 0;
}
