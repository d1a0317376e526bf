#pragma once

#include <iosfwd>
#include <string>

namespace zkop::cli {

struct PlanOptions {
  std::string file;      // the wanted ZookeeperCluster ("-": stdin)
  std::string observed;  // an ObservedEnsemble document, or a ZookeeperCluster whose status says
  std::string from;      // a ZookeeperCluster spec, taken as settled
  bool json = false;     // --output json
};

// `zkop plan`: the steps the operator would take from what is observed to what FILE asks,
// each with the voting set and quorum after it and why it is safe. What is observed comes
// from --observed, from --from (a spec taken as settled), or else from FILE's own status
// (`kubectl get zk NAME -o yaml | zkop plan -f -`); no status at all means a new cluster.
// Assumes every step succeeds; the operator replans from what it observes at every step.
// Exit 1 when the input is invalid or the plan ends blocked.
int runPlan(const PlanOptions& options, std::ostream& out, std::ostream& err);

}  // namespace zkop::cli
