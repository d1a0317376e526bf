#pragma once

#include <cstdint>
#include <string>
#include <vector>

// Vocabulary shared by the planner's inputs and outputs: roles, modes, member identity and
// server lists. Plain value types; the adapter from the Kubernetes resource fills them in.
namespace zkop::planner {

enum class Role { Participant, Observer };

// Dynamic: membership changes through ZooKeeper's `reconfig` (3.5+).
// Static: membership changes by rewriting every server's list and rolling restarts (3.4 style).
enum class ReconfigMode { Dynamic, Static };

// LeaderLast: followers and observers first, the leader last (one election).
// Handoff (Dynamic mode only): the leader is removed by reconfig first, which designates a
// successor without an election, then restarted as a joiner and added back.
// StatefulSet: the baseline, restarts by descending ordinal and ignores roles.
enum class UpdateStrategy { LeaderLast, Handoff, StatefulSet };

// q(n): the number of voters that make a majority of n.
// "No member": myid 0 is a legal myid (seed 002's ensemble used it), so it cannot say none.
inline constexpr int kNoMyid = -1;

constexpr int quorumSize(int voters) { return voters / 2 + 1; }

// Who a member is, independent of its myid: a slot of a pool (the pod `<pool>` ordinal
// `<ordinal>`; the adapter maps it to a pod name and DNS name) or an external server
// (pool empty, ordinal -1) known by its host.
struct MemberSlot {
  std::string pool;
  int ordinal = -1;
  std::string externalHost;

  static MemberSlot managed(std::string pool, int ordinal);
  static MemberSlot external(std::string host);
  bool isExternal() const { return pool.empty(); }
  // "pool-2" or "external:vm1.example.com", for messages.
  std::string label() const;
  friend bool operator==(const MemberSlot&, const MemberSlot&) = default;
  friend auto operator<=>(const MemberSlot&, const MemberSlot&) = default;
};

// One `server.<myid>=...` line. The host of a managed member is left to the renderer, which
// knows the pod's DNS name from the slot.
struct ServerEntry {
  int myid = 0;
  MemberSlot slot;
  Role role = Role::Participant;
  friend bool operator==(const ServerEntry&, const ServerEntry&) = default;
};

// A versioned server list. In Dynamic mode it is the committed config (/zookeeper/config);
// in Static mode it is the list the operator last wrote to the ConfigMap.
struct ServerList {
  std::int64_t version = 0;
  std::vector<ServerEntry> servers;

  const ServerEntry* find(int myid) const;
  std::vector<int> participantIds() const;  // sorted ascending
  std::vector<int> observerIds() const;     // sorted ascending
  int participantCount() const;
  bool sameMembership(const ServerList& other) const;  // ignores version and order
};

// Rule 1 of BRIEF §2: q(|old|) + q(|new|) > |old ∪ new|.
bool quorumsIntersect(const std::vector<int>& oldVoters, const std::vector<int>& newVoters);

}  // namespace zkop::planner
