// main() only parses the command line and delegates to the library.
#include <CLI/CLI.hpp>
#include <iostream>

#include "operator/cli/crd_command.h"
#include "operator/cli/plan_command.h"
#include "operator/cli/render_command.h"
#include "operator/cli/run_command.h"
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

  zkop::cli::PlanOptions planOptions;
  std::string output = "text";
  auto* plan = app.add_subcommand(
      "plan", "Show the quorum-safe steps the operator would take to reach a spec");
  plan->add_option("-f,--filename", planOptions.file,
                   "The wanted ZookeeperCluster; its status is what is observed unless "
                   "--observed or --from says otherwise (- for stdin)")
      ->required();
  plan->add_option("--observed", planOptions.observed,
                   "An ObservedEnsemble document, or a ZookeeperCluster whose status to use");
  plan->add_option("--from", planOptions.from, "A ZookeeperCluster spec, taken as settled");
  plan->add_option("-o,--output", output, "text or json")->check(CLI::IsMember({"text", "json"}));

  zkop::cli::RunOptions run;
  auto* runCommand = app.add_subcommand("run", "Run the operator");
  runCommand->add_option("--kubeconfig", run.kubeconfig,
                         "Kubeconfig file (default: $KUBECONFIG, ~/.kube/config, in-cluster)");
  runCommand->add_option("--context", run.context, "Kubeconfig context");
  runCommand->add_option("--namespace", run.watchNamespace, "Watch one namespace (default: all)");
  runCommand->add_option("--leader-elect", run.leaderElect, "Hold a Lease before reconciling");
  runCommand->add_option("--leader-election-namespace", run.leaderElectionNamespace,
                         "Namespace of the Lease (default: the kubeconfig's)");
  runCommand->add_option("--leader-election-id", run.leaderElectionId, "Name of the Lease");
  runCommand->add_option("--metrics-bind-address", run.metricsBindAddress,
                         "Serve /metrics here (\"0\" disables)");
  runCommand->add_option("--health-probe-bind-address", run.healthProbeBindAddress,
                         "Serve /healthz and /readyz here (\"0\" disables)");
  runCommand->add_option("--log-format", run.logFormat, "text or json")
      ->check(CLI::IsMember({"text", "json"}));
  runCommand->add_option("--log-level", run.logLevel, "trace, debug, info, warn, error");
  runCommand->add_option("--workers", run.workers, "Concurrent reconciles (never of one cluster)");

  bool reference = false;
  auto* crd = app.add_subcommand("crd", "Print the ZookeeperCluster CustomResourceDefinition");
  crd->add_flag("--reference", reference, "Print the Markdown field reference (docs/api.md)");

  CLI11_PARSE(app, argc, argv);
  if (*version) return zkop::cli::runVersion(std::cout);
  if (*validate) return zkop::cli::runValidate(file, std::cout, std::cerr);
  if (*runCommand) return zkop::cli::runOperator(run);
  if (*plan) {
    planOptions.json = output == "json";
    return zkop::cli::runPlan(planOptions, std::cout, std::cerr);
  }
  if (*render) return zkop::cli::runRender(file, std::cout, std::cerr);
  if (*crd) return zkop::cli::runCrd(std::cout, reference);
  return 0;
}
