#include "controllers/planner/target_shape.h"

#include <algorithm>
#include <set>

namespace zkop::planner {

const TargetMember* TargetShape::find(const MemberSlot& slot) const {
  auto it = std::find_if(members.begin(), members.end(),
                         [&slot](const TargetMember& m) { return m.slot == slot; });
  return it == members.end() ? nullptr : &*it;
}

int TargetShape::participantCount() const {
  return static_cast<int>(std::count_if(members.begin(), members.end(), [](const TargetMember& m) {
    return m.role == Role::Participant;
  }));
}

std::expected<TargetShape, std::string> targetShape(const DesiredEnsemble& desired) {
  if (desired.targetVersion.empty()) return std::unexpected("no target version");
  if (desired.myidBase < 0) return std::unexpected("myidBase must not be negative");
  if (desired.reconfigMode == ReconfigMode::Static &&
      desired.updateStrategy == UpdateStrategy::Handoff) {
    return std::unexpected("the Handoff strategy needs reconfigMode Dynamic");
  }
  TargetShape shape;
  std::set<std::string> poolNames;
  struct Ordered {
    TargetMember member;
    std::size_t poolIndex;
  };
  std::vector<Ordered> ordered;
  for (std::size_t p = 0; p < desired.pools.size(); ++p) {
    const DesiredPool& pool = desired.pools[p];
    if (pool.name.empty()) return std::unexpected("a pool has no name");
    if (!poolNames.insert(pool.name).second) {
      return std::unexpected("pool " + pool.name + " is listed twice");
    }
    if (pool.voters < 0 || pool.observers < 0) {
      return std::unexpected("pool " + pool.name + " has a negative member count");
    }
    for (int ordinal = 0; ordinal < pool.voters + pool.observers; ++ordinal) {
      const Role role = ordinal < pool.voters ? Role::Participant : Role::Observer;
      ordered.push_back(
          {{MemberSlot::managed(pool.name, ordinal), role, pool.leaderPriority, 0}, p});
    }
  }
  // Stable sort keeps pool order and ordinals within a priority.
  std::stable_sort(ordered.begin(), ordered.end(), [](const Ordered& a, const Ordered& b) {
    return a.member.leaderPriority < b.member.leaderPriority;
  });
  std::set<int> externalIds;
  std::set<std::string> externalHosts;
  for (const auto& ext : desired.externalMembers) {
    if (ext.myid <= 0) return std::unexpected("external member " + ext.host + " needs a myid");
    if (ext.host.empty()) return std::unexpected("an external member has no host");
    if (!externalIds.insert(ext.myid).second) {
      return std::unexpected("myid " + std::to_string(ext.myid) + " is used twice");
    }
    if (!externalHosts.insert(ext.host).second) {
      return std::unexpected("external host " + ext.host + " is listed twice");
    }
    // External members keep their own myids; they are listed first as they do not take
    // part in myid assignment.
    shape.members.push_back({MemberSlot::external(ext.host), ext.role, 0, ext.myid});
  }
  for (const auto& o : ordered) shape.members.push_back(o.member);

  const int voters = shape.participantCount();
  if (voters == 0) return std::unexpected("the ensemble needs at least one voter");
  if (voters % 2 == 0 && !desired.allowEvenVoters) {
    return std::unexpected(std::to_string(voters) + " voters tolerate no more failures than " +
                           std::to_string(voters - 1) +
                           "; ask for an odd count or set allowEvenVoters");
  }
  return shape;
}

}  // namespace zkop::planner
