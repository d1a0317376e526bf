#include "operator/cli/version_command.h"

#include <ostream>

namespace zkop::cli {

std::string_view operatorVersion() { return ZKOP_VERSION; }

int runVersion(std::ostream& out) {
  out << "zkop " << operatorVersion() << " (zkop.io/v1alpha1 ZookeeperCluster)\n";
  return 0;
}

}  // namespace zkop::cli
