#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "controllers/planner/ensemble.h"

// What the observer saw: Kubernetes objects, ZooKeeper's answers (srvr, mntr,
// /zookeeper/config) and what the operator recorded in status. Probe failures are data:
// an unanswered probe is `up = false`, an unknown leader is an empty optional.
namespace zkop::planner {

// Why a member that should run does not.
enum class MemberFault {
  None,
  // "My id N not in the peer list": it was started with a list that does not name it.
  NotInPeerList,
};

struct ObservedMember {
  MemberSlot slot;
  int myid = 0;             // from the pod -> myid map (assigned before the pod starts)
  bool podPresent = false;  // a pod / process exists (external members: assumed true)
  bool up = false;          // answers `srvr`
  bool synced = false;      // counted in the leader's zk_synced_followers/observers
  Role runningRole = Role::Participant;  // role it was started with (a joiner: Observer)
  std::string version;                   // ZooKeeper version it runs
  // Version of the server list it was started with (Static mode: the ConfigMap list; Dynamic
  // mode: the committed config it joined with).
  std::int64_t configVersion = 0;
  // The myid that owns the data dir (from the myid file next to version-2), if any data.
  std::optional<int> dataOwnerMyid;
  MemberFault fault = MemberFault::None;
  // It was synced before (recorded in status) and its data dir is now empty: a voter that
  // forgot acknowledged writes must not vote under the same myid again (rule 5).
  bool dataLost = false;

  bool hasData() const { return dataOwnerMyid.has_value(); }
};

// What the operator recorded in status.operation before acting. After a crash it tells the
// planner which action may be half done; the planner still decides from evidence only.
struct OperationInProgress {
  enum class Kind { Reconfig, WriteServerList, Restart, Other };
  Kind kind = Kind::Other;
  int myid = 0;
  std::int64_t baseConfigVersion = 0;  // committed config version when it was issued
};

struct ObservedEnsemble {
  std::vector<ObservedMember> members;
  std::optional<int> leaderMyid;
  // Dynamic: the committed config. Static: the list last written to the ConfigMap.
  ServerList config;
  // Static mode only: the list before `config`, kept while a rolling restart moves members
  // from it to `config` (the leader may still count votes with it). Empty otherwise.
  ServerList previousConfig;
  // Highest myid ever issued (status.highestMyid); myids at or below it are never reused.
  int highestMyidIssued = 0;
  // Config version under which a write was last seen to commit (rule 6: removed servers are
  // stopped only after a write commits under the config that removed them).
  std::int64_t barrierConfigVersion = 0;
  std::optional<OperationInProgress> operation;

  const ObservedMember* findByMyid(int myid) const;
  const ObservedMember* findBySlot(const MemberSlot& slot) const;
  // max(highestMyidIssued, every myid seen in members or config): a crash between assigning
  // and recording must not let a myid be issued twice.
  int effectiveHighestMyid() const;
};

}  // namespace zkop::planner
