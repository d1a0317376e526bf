#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "controllers/planner/ensemble.h"

// The planner's output: one small typed step, or a reason to wait, or a refusal, or done.
// Every step can describe itself for events and status.operation.
namespace zkop::planner {

// Start a member that is not running. In Dynamic mode a member that is not in the committed
// config starts as a joiner: the committed config plus itself as observer (rule 2).
struct StartMember {
  MemberSlot slot{};
  int myid = 0;
  Role role = Role::Participant;  // role it is started with
  bool asJoiner = false;          // Dynamic: committed config + itself as observer
  std::string version{};
  std::int64_t configVersion = 0;  // the list it starts with
};

// Restart a running member (new version and/or the current server list).
struct RestartMember {
  MemberSlot slot{};
  int myid = 0;
  Role role = Role::Participant;
  bool asJoiner = false;  // Handoff: the former leader comes back as an observer joiner
  std::string version{};
  std::int64_t configVersion = 0;
  bool isLeader = false;  // restarting it costs an election
};

// Stop a member for good: its slot is no longer wanted or it is about to get a new myid.
struct StopMember {
  MemberSlot slot{};
  int myid = 0;
  bool decommission = false;  // the pod goes away (scale-in, migration off a pool)
  bool isLeader = false;
};

// Static mode: write a new server list (takes effect as members restart).
struct WriteServerList {
  ServerList list;  // version = previous + 1
};

// Dynamic mode: one incremental reconfig, conditional on the committed version so that a
// repeat after a crash fails instead of applying twice.
struct Reconfig {
  enum class Change { Add, Remove, ChangeRole };
  Change change = Change::Add;
  ServerEntry server;  // for Remove only myid and slot matter
  std::int64_t fromConfigVersion = 0;
};

// Dynamic mode: `reconfig -remove <leader>`. The leader designates a successor and steps
// down without a full election (BRIEF §2 rule 4). Never emitted as a plain Reconfig so the
// reconciler and events say what happens.
struct HandOffLeadership {
  MemberSlot slot{};
  int leaderMyid = 0;
  std::int64_t fromConfigVersion = 0;
};

// A write that must commit under the current config before removed servers are stopped.
struct WriteBarrier {
  std::int64_t configVersion = 0;
};

// Issue a new myid to a slot (new member, or replacement of a member): persists the
// pod -> myid map and status.highestMyid before any pod uses it.
struct AssignMyid {
  MemberSlot slot{};
  int oldMyid = kNoMyid;  // kNoMyid for a new slot
  int newMyid = 0;
};

// Remove version-2 (and the myid file) so a member starts empty (rule 5).
struct CleanDataDir {
  MemberSlot slot{};
  int myid = 0;
};

// Nothing to do until ZooKeeper shows the named evidence (rule 6).
struct Wait {
  std::string evidence;
};

// The planner refuses to act: the spec breaks a rule or the ensemble is in a state no
// safe step can fix (rule 8). Nothing is changed.
struct Blocked {
  std::string reason;
};

struct Done {};

using Step =
    std::variant<StartMember, RestartMember, StopMember, WriteServerList, Reconfig,
                 HandOffLeadership, WriteBarrier, AssignMyid, CleanDataDir, Wait, Blocked, Done>;

// "restart pool-2 (myid 3, leader) with 3.8.1 and list v4", for events and status.
std::string describe(const Step& step);
// Short machine name: "StartMember", "Reconfig", ... (the action of the plan preview).
std::string actionName(const Step& step);

// Wait, Blocked and Done change nothing.
bool isAction(const Step& step);

}  // namespace zkop::planner
