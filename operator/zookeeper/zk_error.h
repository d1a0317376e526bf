#pragma once

#include <string>

namespace zkop::zookeeper {

// The one error type of the ZooKeeper layer: a kind the caller can act on, and a message
// naming the failed operation and ZooKeeper's reason.
struct ZkError {
  enum class Kind {
    Connection,          // no session within the timeout, or the connection dropped
    NoAuth,              // the super user was refused
    BadVersion,          // the config (or znode) changed since the expected version
    ReconfigInProgress,  // another reconfig has not committed yet
    NoQuorum,            // the new config has no synced quorum
    ReconfigDisabled,    // reconfigEnabled=false on the servers
    NoNode,
    NodeExists,
    Other,
  };
  Kind kind = Kind::Other;
  std::string message;
};

// A C client return code as a ZkError; `what` names the operation.
ZkError errorOf(int rc, const std::string& what);

}  // namespace zkop::zookeeper
