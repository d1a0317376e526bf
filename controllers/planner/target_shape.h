#pragma once

#include <expected>
#include <string>
#include <vector>

#include "controllers/planner/desired_ensemble.h"

// The desired ensemble flattened into slots with roles, validated (BRIEF §2 rule 8).
namespace zkop::planner {

struct TargetMember {
  MemberSlot slot;
  Role role = Role::Participant;
  int leaderPriority = 0;
  int fixedMyid = 0;  // external members bring their own myid; 0 for managed slots
};

struct TargetShape {
  // In myid-assignment order: ascending leaderPriority, then pool order, then ordinal, so
  // that members of the preferred pool receive the highest myids (seed 002).
  std::vector<TargetMember> members;

  const TargetMember* find(const MemberSlot& slot) const;
  int participantCount() const;
};

// Refuses specs that would break a rule: even voter counts unless allowed, no voters,
// duplicate pools or external myids, Handoff in Static mode.
std::expected<TargetShape, std::string> targetShape(const DesiredEnsemble& desired);

}  // namespace zkop::planner
