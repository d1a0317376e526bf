#include "controllers/reconciler/pod_admission.h"

#include <algorithm>

#include "controllers/api/defaults.h"
#include "controllers/render/names.h"

namespace zkop::reconciler {
namespace {

// Pods the spec wants in `pool` (voters then observers), 0 for a pool no longer wanted.
int wantedPods(const planner::DesiredEnsemble& desired, const std::string& pool) {
  for (const auto& p : desired.pools) {
    if (p.name == pool) return p.voters + p.observers;
  }
  return 0;
}

bool parked(const PodAdmissionInput& input, const render::Member& member) {
  if (input.listedMyids.contains(member.myid)) return false;
  const bool retired =
      std::ranges::find(input.desired.retireMyids, member.myid) != input.desired.retireMyids.end();
  return retired || member.ordinal >= wantedPods(input.desired, member.pool);
}

// The spec's pools and those it no longer names that still have a StatefulSet or members
// (a migration between pools): a departing pool shrinks one decommissioned member at a time.
std::vector<api::PoolSpec> poolsInPlay(const PodAdmissionInput& input) {
  auto pools = api::effectivePools(input.cluster.spec);
  auto add = [&pools](const std::string& name) {
    if (std::ranges::none_of(pools, [&](const api::PoolSpec& p) { return p.name == name; })) {
      api::PoolSpec departing;
      departing.name = name;
      pools.push_back(departing);
    }
  };
  for (const auto& [pool, pods] : input.currentPods) add(pool);
  for (const auto& m : input.members.members()) add(m.pool);
  return pools;
}

}  // namespace

std::set<std::string> parkedPods(const PodAdmissionInput& input) {
  std::set<std::string> out;
  for (const auto& m : input.members.members()) {
    if (parked(input, m)) out.insert(m.pod);
  }
  return out;
}

std::set<std::string> forgottenPods(const PodAdmissionInput& input,
                                    const std::set<std::string>& existingPods) {
  std::set<std::string> out;
  for (const auto& m : input.members.members()) {
    const bool unwanted = m.ordinal >= wantedPods(input.desired, m.pool);
    if (unwanted && !input.listedMyids.contains(m.myid) && !existingPods.contains(m.pod)) {
      out.insert(m.pod);
    }
  }
  return out;
}

std::map<std::string, int> podsPerPool(const PodAdmissionInput& input, const planner::Step& step) {
  const auto names = render::ClusterNames::of(input.cluster);
  std::map<std::string, int> out;
  for (const auto& pool : poolsInPlay(input)) {
    auto it = input.currentPods.find(pool.name);
    int pods = it == input.currentPods.end() ? 0 : it->second;
    if (const auto* start = std::get_if<planner::StartMember>(&step);
        start != nullptr && start->slot.pool == pool.name) {
      pods = std::max(pods, start->slot.ordinal + 1);
    }
    // Drop trailing pods that have nothing to run: no myid, or parked, and not answering (a
    // member that still answers is stopped only by the planner's own step).
    auto dropIdle = [&] {
      while (pods > 0) {
        const auto pod = names.pod(pool.name, pods - 1);
        const auto* member = input.members.findPod(pod);
        const bool idle = member == nullptr || parked(input, *member);
        if (!idle || input.answeringPods.contains(pod)) break;
        --pods;
      }
    };
    dropIdle();
    if (const auto* stop = std::get_if<planner::StopMember>(&step);
        stop != nullptr && stop->decommission && stop->slot.pool == pool.name &&
        stop->slot.ordinal == pods - 1) {
      pods = stop->slot.ordinal;
      dropIdle();
    }
    out[pool.name] = pods;
  }
  return out;
}

}  // namespace zkop::reconciler
