#include "tests/planner/plan_runner.h"

#include <algorithm>

#include "controllers/planner/invariant_checker.h"
#include "controllers/planner/planner.h"

namespace zkop::planner::testing {

namespace {

// Enough of the state to tell whether waiting changed anything.
std::string fingerprint(const ObservedEnsemble& o) {
  std::string f = std::to_string(o.leaderMyid.value_or(-1)) + "/" +
                  std::to_string(o.config.version) + "/" + std::to_string(o.barrierConfigVersion) +
                  ":";
  for (const auto& m : o.members) {
    f += std::to_string(m.myid) + (m.up ? "u" : "d") + (m.synced ? "s" : "n") +
         (m.podPresent ? "p" : "-") + std::to_string(m.configVersion) + ",";
  }
  return f;
}

}  // namespace

RunResult runPlan(const DesiredEnsemble& target, EnsembleSimulator& sim,
                  const RunOptions& options) {
  RunResult result;
  int actions = 0;
  int fruitlessWaits = 0;
  for (int index = 0; index < options.maxSteps; ++index) {
    // Whatever the hook changes (a failure, an external owner acting) counts as change.
    const std::string atStart = fingerprint(sim.observed());
    if (options.beforeStep) options.beforeStep(sim, index);
    const ObservedEnsemble before = sim.observed();
    const Step step = nextStep(target, before);
    ++result.transitions;
    result.steps.push_back(step);
    if (auto verdict = checkStep(target, before, step); !verdict) {
      result.failure = "checker refused step " + std::to_string(index) + " (" + describe(step) +
                       "): " + toString(verdict.error());
      break;
    }
    if (std::holds_alternative<Done>(step)) {
      result.done = true;
      const std::string diff = sim.differenceFrom(target);
      if (!diff.empty()) result.failure = "planner said done but " + diff;
      break;
    }
    if (const auto* blocked = std::get_if<Blocked>(&step)) {
      result.stoppedWith = blocked->reason;
      break;
    }
    if (const auto* wait = std::get_if<Wait>(&step)) {
      sim.settle();
      if (fingerprint(sim.observed()) == atStart && ++fruitlessWaits >= 2) {
        result.stoppedWith = "wait for " + wait->evidence;
        break;
      }
      continue;
    }
    fruitlessWaits = 0;
    const int highest = sim.observed().highestMyidIssued;
    const auto barrier = sim.observed().barrierConfigVersion;
    sim.apply(step);
    if (actions++ == options.statusLostAfterAction) {
      sim.mutableObserved().highestMyidIssued = highest;
      sim.mutableObserved().barrierConfigVersion = barrier;
    }
    sim.settle();
    if (!sim.stats().errors.empty()) break;
  }
  result.stats = sim.stats();
  if (result.failure.empty() && !result.stats.errors.empty()) {
    result.failure = "model: " + result.stats.errors.front();
  }
  if (result.failure.empty() && !result.done && result.stoppedWith.empty()) {
    result.failure = "no end after " + std::to_string(options.maxSteps) + " steps";
  }
  return result;
}

std::vector<std::vector<int>> votingSets(const std::vector<Step>& steps,
                                         const std::vector<int>& initialVoters) {
  std::vector<std::vector<int>> sets{initialVoters};
  std::vector<int> voters = initialVoters;
  for (const auto& step : steps) {
    if (const auto* w = std::get_if<WriteServerList>(&step)) {
      voters = w->list.participantIds();
    } else if (const auto* r = std::get_if<Reconfig>(&step)) {
      std::erase(voters, r->server.myid);
      if (r->change != Reconfig::Change::Remove && r->server.role == Role::Participant) {
        voters.push_back(r->server.myid);
      }
    } else if (const auto* h = std::get_if<HandOffLeadership>(&step)) {
      std::erase(voters, h->leaderMyid);
    } else {
      continue;
    }
    std::sort(voters.begin(), voters.end());
    if (voters != sets.back()) sets.push_back(voters);
  }
  return sets;
}

}  // namespace zkop::planner::testing
