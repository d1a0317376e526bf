#include <algorithm>
#include <set>

#include "controllers/planner/observed_ensemble.h"

namespace zkop::planner {

MemberSlot MemberSlot::managed(std::string poolName, int ordinalInPool) {
  return MemberSlot{std::move(poolName), ordinalInPool, {}};
}

MemberSlot MemberSlot::external(std::string host) { return MemberSlot{{}, -1, std::move(host)}; }

std::string MemberSlot::label() const {
  if (isExternal()) return "external:" + externalHost;
  return pool + "-" + std::to_string(ordinal);
}

const ServerEntry* ServerList::find(int myid) const {
  auto it = std::find_if(servers.begin(), servers.end(),
                         [myid](const ServerEntry& s) { return s.myid == myid; });
  return it == servers.end() ? nullptr : &*it;
}

namespace {
std::vector<int> idsWithRole(const std::vector<ServerEntry>& servers, Role role) {
  std::vector<int> ids;
  for (const auto& s : servers) {
    if (s.role == role) ids.push_back(s.myid);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}
}  // namespace

std::vector<int> ServerList::participantIds() const {
  return idsWithRole(servers, Role::Participant);
}

std::vector<int> ServerList::observerIds() const { return idsWithRole(servers, Role::Observer); }

int ServerList::participantCount() const {
  return static_cast<int>(std::count_if(servers.begin(), servers.end(), [](const ServerEntry& s) {
    return s.role == Role::Participant;
  }));
}

bool ServerList::sameMembership(const ServerList& other) const {
  if (servers.size() != other.servers.size()) return false;
  return std::all_of(servers.begin(), servers.end(), [&other](const ServerEntry& s) {
    const ServerEntry* o = other.find(s.myid);
    return o != nullptr && o->role == s.role && o->slot == s.slot;
  });
}

bool quorumsIntersect(const std::vector<int>& oldVoters, const std::vector<int>& newVoters) {
  std::set<int> all(oldVoters.begin(), oldVoters.end());
  all.insert(newVoters.begin(), newVoters.end());
  const int oldSize = static_cast<int>(oldVoters.size());
  const int newSize = static_cast<int>(newVoters.size());
  return quorumSize(oldSize) + quorumSize(newSize) > static_cast<int>(all.size());
}

const ObservedMember* ObservedEnsemble::findByMyid(int myid) const {
  auto it = std::find_if(members.begin(), members.end(),
                         [myid](const ObservedMember& m) { return m.myid == myid; });
  return it == members.end() ? nullptr : &*it;
}

const ObservedMember* ObservedEnsemble::findBySlot(const MemberSlot& slot) const {
  auto it = std::find_if(members.begin(), members.end(),
                         [&slot](const ObservedMember& m) { return m.slot == slot; });
  return it == members.end() ? nullptr : &*it;
}

int ObservedEnsemble::effectiveHighestMyid() const {
  int highest = highestMyidIssued;
  for (const auto& m : members) highest = std::max(highest, m.myid);
  for (const auto& s : config.servers) highest = std::max(highest, s.myid);
  return highest;
}

}  // namespace zkop::planner
