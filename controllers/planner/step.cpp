#include "controllers/planner/step.h"

#include <type_traits>

namespace zkop::planner {

namespace {

const char* roleName(Role role) { return role == Role::Participant ? "participant" : "observer"; }

std::string memberText(const MemberSlot& slot, int myid) {
  return slot.label() + " (myid " + std::to_string(myid) + ")";
}

std::string describeOne(const StartMember& s) {
  std::string text = "start " + memberText(s.slot, s.myid) + " as " + roleName(s.role);
  if (s.asJoiner) text += " joiner (committed config + itself as observer)";
  return text + " with version " + s.version + " and config v" + std::to_string(s.configVersion);
}

std::string describeOne(const RestartMember& s) {
  std::string text = "restart " + memberText(s.slot, s.myid);
  if (s.isLeader) text += ", the leader,";
  if (s.asJoiner) text += " as observer joiner";
  return text + " with version " + s.version + " and config v" + std::to_string(s.configVersion);
}

std::string describeOne(const StopMember& s) {
  std::string text = (s.decommission ? "decommission " : "stop ") + memberText(s.slot, s.myid);
  if (s.isLeader) text += " (the leader: an election follows)";
  return text;
}

std::string describeOne(const WriteServerList& s) {
  std::string text = "write server list v" + std::to_string(s.list.version) + ": voters {";
  const auto voters = s.list.participantIds();
  for (std::size_t i = 0; i < voters.size(); ++i) {
    text += (i ? "," : "") + std::to_string(voters[i]);
  }
  text += "}";
  const auto observers = s.list.observerIds();
  if (!observers.empty()) {
    text += " observers {";
    for (std::size_t i = 0; i < observers.size(); ++i) {
      text += (i ? "," : "") + std::to_string(observers[i]);
    }
    text += "}";
  }
  return text;
}

std::string describeOne(const Reconfig& s) {
  std::string what;
  switch (s.change) {
    case Reconfig::Change::Add:
      what = "add " + memberText(s.server.slot, s.server.myid) + " as " + roleName(s.server.role);
      break;
    case Reconfig::Change::Remove:
      what = "remove " + memberText(s.server.slot, s.server.myid);
      break;
    case Reconfig::Change::ChangeRole:
      what = "make " + memberText(s.server.slot, s.server.myid) + " " + roleName(s.server.role);
      break;
  }
  return "reconfig: " + what + " (from config v" + std::to_string(s.fromConfigVersion) + ")";
}

std::string describeOne(const HandOffLeadership& s) {
  return "hand leadership off: reconfig removes the leader " + memberText(s.slot, s.leaderMyid) +
         " (from config v" + std::to_string(s.fromConfigVersion) + ")";
}

std::string describeOne(const WriteBarrier& s) {
  return "write barrier: one write must commit under config v" + std::to_string(s.configVersion);
}

std::string describeOne(const AssignMyid& s) {
  if (s.oldMyid == kNoMyid) {
    return "assign myid " + std::to_string(s.newMyid) + " to new member " + s.slot.label();
  }
  return "re-number " + s.slot.label() + " from myid " + std::to_string(s.oldMyid) + " to " +
         std::to_string(s.newMyid);
}

std::string describeOne(const CleanDataDir& s) {
  return "clean the data dir of " + memberText(s.slot, s.myid) + " (remove version-2)";
}

std::string describeOne(const Wait& s) { return "wait for " + s.evidence; }
std::string describeOne(const Blocked& s) { return "blocked: " + s.reason; }
std::string describeOne(const Done&) { return "done"; }

}  // namespace

std::string describe(const Step& step) {
  return std::visit([](const auto& s) { return describeOne(s); }, step);
}

std::string actionName(const Step& step) {
  static constexpr const char* kNames[] = {
      "StartMember",       "RestartMember", "StopMember", "WriteServerList", "Reconfig",
      "HandOffLeadership", "WriteBarrier",  "AssignMyid", "CleanDataDir",    "Wait",
      "Blocked",           "Done"};
  static_assert(std::size(kNames) == std::variant_size_v<Step>);
  return kNames[step.index()];
}

bool isAction(const Step& step) {
  return !std::holds_alternative<Wait>(step) && !std::holds_alternative<Blocked>(step) &&
         !std::holds_alternative<Done>(step);
}

}  // namespace zkop::planner
