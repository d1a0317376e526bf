#include "controllers/reconciler/observed_json.h"

#include <algorithm>
#include <charconv>

#include "controllers/render/member_set.h"

namespace zkop::reconciler {
namespace {

planner::Role roleOf(std::string_view name) {
  return name == "Observer" || name == "observer" ? planner::Role::Observer
                                                  : planner::Role::Participant;
}

std::int64_t hexVersion(const std::string& text) {
  std::int64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value, 16);
  return value;
}

void addMember(planner::ObservedEnsemble& observed, planner::ObservedMember member, bool inConfig) {
  if (inConfig) {
    observed.config.servers.push_back(
        {.myid = member.myid, .slot = member.slot, .role = member.runningRole});
  }
  observed.highestMyidIssued = std::max(observed.highestMyidIssued, member.myid);
  observed.members.push_back(std::move(member));
}

}  // namespace

planner::ObservedEnsemble observedFromStatus(const api::ZookeeperCluster& cluster) {
  planner::ObservedEnsemble observed;
  if (!cluster.status || !cluster.status->myids) return observed;
  const auto& status = *cluster.status;
  const auto members = render::MemberSet::fromStatus(cluster);
  observed.config.version = hexVersion(status.configVersion.value_or("0"));
  for (const auto& m : members.members()) {
    planner::ObservedMember member;
    member.slot = planner::MemberSlot::managed(m.pool, m.ordinal);
    member.myid = m.myid;
    member.podPresent = true;
    member.dataOwnerMyid = m.myid;
    member.configVersion = observed.config.version;
    bool inConfig = true;
    for (const auto& s : status.members.value_or(std::vector<api::MemberStatus>{})) {
      if (s.name != m.pod) continue;
      member.up = s.ready.value_or(false);
      member.synced = s.synced.value_or(false);
      member.version = s.version.value_or(status.currentVersion.value_or(""));
      member.runningRole =
          s.role.value_or(api::MemberRole::Participant) == api::MemberRole::Observer
              ? planner::Role::Observer
              : planner::Role::Participant;
      inConfig = s.role.has_value();
      if (status.leader == m.pod) observed.leaderMyid = m.myid;
    }
    addMember(observed, std::move(member), inConfig);
  }
  for (const auto& e : cluster.spec.externalMembers.value_or(std::vector<api::ExternalMember>{})) {
    planner::ObservedMember member;
    member.slot = planner::MemberSlot::external(e.host);
    member.myid = e.myid;
    member.podPresent = member.up = member.synced = true;
    member.runningRole = e.role.value_or(api::MemberRole::Participant) == api::MemberRole::Observer
                             ? planner::Role::Observer
                             : planner::Role::Participant;
    member.dataOwnerMyid = e.myid;
    member.configVersion = observed.config.version;
    addMember(observed, std::move(member), true);
  }
  observed.highestMyidIssued = std::max(observed.highestMyidIssued, status.highestMyid.value_or(0));
  observed.barrierConfigVersion = observed.config.version;
  return observed;
}

std::expected<planner::ObservedEnsemble, std::string> observedFromJson(const Json& document) {
  if (!document.is_object() || document.value("kind", "") != "ObservedEnsemble") {
    return std::unexpected("not an ObservedEnsemble document (kind: ObservedEnsemble)");
  }
  planner::ObservedEnsemble observed;
  try {
    observed.config.version = document.value("configVersion", std::int64_t{1});
    if (document.contains("leader")) observed.leaderMyid = document["leader"].get<int>();
    for (const auto& m : document.value("members", Json::array())) {
      planner::ObservedMember member;
      member.slot = m.contains("host") ? planner::MemberSlot::external(m["host"].get<std::string>())
                                       : planner::MemberSlot::managed(m.value("pool", "default"),
                                                                      m.value("ordinal", 0));
      member.myid = m.at("myid").get<int>();
      member.up = m.value("up", true);
      member.podPresent = m.value("podPresent", member.up);
      member.synced = m.value("synced", member.up);
      member.runningRole = roleOf(m.value("role", "Participant"));
      member.version = m.value("version", "");
      member.configVersion = m.value("configVersion", observed.config.version);
      if (m.value("hasData", true)) member.dataOwnerMyid = m.value("dataOwner", member.myid);
      addMember(observed, std::move(member), m.value("inConfig", true));
    }
    observed.highestMyidIssued =
        std::max(observed.highestMyidIssued, document.value("highestMyid", 0));
    observed.barrierConfigVersion = document.value("barrierConfigVersion", observed.config.version);
  } catch (const Json::exception& e) {
    return std::unexpected(std::string("ObservedEnsemble: ") + e.what());
  }
  return observed;
}

Json previewToJson(const planner::PlanPreview& preview) {
  Json steps = Json::array();
  for (const auto& s : preview.steps) {
    Json step = {{"number", s.number},
                 {"action", s.action},
                 {"description", s.description},
                 {"votersAfter", s.votersAfter},
                 {"observersAfter", s.observersAfter},
                 {"quorumAfter", s.quorumAfter},
                 {"whySafe", s.whySafe}};
    if (s.member) step["member"] = s.member->label();
    if (s.myid) step["myid"] = *s.myid;
    steps.push_back(step);
  }
  return {{"steps", steps},
          {"end", planner::actionName(preview.end)},
          {"endDescription", planner::describe(preview.end)}};
}

}  // namespace zkop::reconciler
