#include "controllers/reconciler/degradation.h"

namespace zkop::reconciler {

Degradation assessDegradation(const EnsembleHealth& health) {
  if (health.creating) {
    return {.degraded = false,
            .reason = "Creating",
            .message = "the ensemble is being created; no member has data yet"};
  }
  std::string down;
  int listed = 0;
  int serving = 0;
  bool othersAnswer = true;  // every listed member but the deliberate one answers probes
  for (const auto& m : health.summary.members) {
    if (!m.role) continue;  // not in the config in play: a joiner, or one being let go
    ++listed;
    if (m.synced.value_or(false)) {
      ++serving;
      continue;
    }
    if (health.deliberateMyid && m.myid == health.deliberateMyid) continue;
    const bool answers = m.mode.value_or("unreachable") != "unreachable";
    if (!answers) othersAnswer = false;
    // While a step is under way, a member that answers but does not serve yet is electing or
    // syncing with a new leader because of it; one that does not answer at all is down.
    if (health.deliberateMyid && answers) continue;
    if (!down.empty()) down += ", ";
    down += m.name;
    if (m.myid) down += " (myid " + std::to_string(*m.myid) + ")";
    down += " " + m.mode.value_or("unreachable");
  }
  const auto tally =
      std::to_string(serving) + " of " + std::to_string(listed) + " listed members serving";
  if (!health.leaderElected && health.deliberateMyid && othersAnswer) {
    // The step zkop took (the leader's restart) started an election that every other member
    // is in: a planned pause, which Progressing reports; it turns into NoQuorum when one of
    // them stops answering.
    return {.degraded = false,
            .reason = "Electing",
            .message = "the members elect a leader after zkop's step on myid " +
                       std::to_string(*health.deliberateMyid) + "; " + tally};
  }
  if (!health.leaderElected) {
    return {.degraded = true,
            .reason = "NoQuorum",
            .message = "no member leads: clients cannot write; " + tally +
                       (down.empty() ? std::string() : "; not serving: " + down)};
  }
  if (!health.lostData.empty()) {
    std::string names;
    for (const auto& name : health.lostData) names += (names.empty() ? "" : ", ") + name;
    return {.degraded = true,
            .reason = "DataLost",
            .message = names + (health.lostData.size() == 1 ? " has" : " have") +
                       " lost its data: zkop replaces it with a member under a new myid; " + tally};
  }
  if (!down.empty()) {
    return {.degraded = true,
            .reason = "MembersNotServing",
            .message = "not serving: " + down + "; " + tally};
  }
  return {.degraded = false, .reason = "AllMembersServing", .message = tally};
}

}  // namespace zkop::reconciler
