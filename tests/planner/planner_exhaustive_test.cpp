// Exhaustive verification of the planner against the simulator (BRIEF §2, issue 3).
//
// Covered, in both reconfig modes unless said otherwise:
//   - scale: every ordered pair of one-pool shapes (voters 1..9, observers 0..2), 702 pairs,
//     (Static mode also with the StatefulSet strategy), each also previewed (the preview
//     must list exactly the actions of the run);
//   - upgrades: every shape, every voter as the initial leader, every strategy (Handoff
//     only in Dynamic mode);
//   - migrations: (a=n) -> (a=k, b=n-k) for n in 1..9 and every k, with pool b preferred or
//     not, and (a=n) -> (b=m) for n, m in 1..9;
//   - failures on a subset (voters 1,3,5,7 with 0 or 1 observer, and upgrades of 3 and 5):
//     at every step index a member crashes and comes back, or crashes for good, or loses
//     its data, or the operator crashes right after acting and loses what it recorded in
//     status.
// Every step the planner returns is checked by the invariant checker; the simulator also
// watches for split brain, myid reuse, members started on foreign data and empty leaders.
#include <gtest/gtest.h>

#include <iostream>

#include "controllers/planner/invariant_checker.h"
#include "controllers/planner/plan_preview.h"
#include "tests/planner/ensemble_simulator.h"
#include "tests/planner/plan_runner.h"
#include "tests/planner/test_shapes.h"

namespace zkop::planner::testing {
namespace {

struct Shape {
  int voters;
  int observers;
};

std::vector<Shape> onePoolShapes(int maxVoters, int maxObservers) {
  std::vector<Shape> shapes;
  for (int v = 1; v <= maxVoters; ++v) {
    for (int o = 0; o <= maxObservers; ++o) shapes.push_back({v, o});
  }
  return shapes;
}

std::string shapeText(const DesiredEnsemble& d) {
  std::string text = modeName(d.reconfigMode);
  for (const auto& p : d.pools) {
    text += " " + p.name + "=" + std::to_string(p.voters) + "+" + std::to_string(p.observers) +
            "o(prio " + std::to_string(p.leaderPriority) + ")";
  }
  return text + " v" + d.targetVersion;
}

std::string transcript(const RunResult& r) {
  std::string text;
  for (std::size_t i = 0; i < r.steps.size(); ++i) {
    text += "  " + std::to_string(i) + ". " + describe(r.steps[i]) + "\n";
  }
  return text + "  failure: " + r.failure + "\n  stopped: " + r.stoppedWith;
}

int listsWritten(const RunResult& r) {
  int n = 0;
  for (const auto& s : r.steps) n += std::holds_alternative<WriteServerList>(s) ? 1 : 0;
  return n;
}

int actionCount(const RunResult& r) {
  int n = 0;
  for (const auto& s : r.steps) n += isAction(s) ? 1 : 0;
  return n;
}

int voters(const DesiredEnsemble& d) {
  int n = 0;
  for (const auto& p : d.pools) n += p.voters;
  return n;
}

// Static mode cannot shrink to a list whose quorum is all of it while the leader restarts
// (2 voters: q = 2): those plans stop with a reason instead of risking unavailability.
bool mayBlock(const DesiredEnsemble& from, const DesiredEnsemble& to) {
  if (to.reconfigMode != ReconfigMode::Static) return false;
  int fromVoters = 0, toVoters = 0;
  for (const auto& p : from.pools) fromVoters += p.voters;
  for (const auto& p : to.pools) toVoters += p.voters;
  return toVoters < fromVoters && toVoters <= 2;
}

class Tally {
 public:
  void record(const std::string& what, const RunResult& r, bool mustFinish) {
    transitions_ += r.transitions;
    ++runs_;
    std::string problem = r.failure;
    if (problem.empty() && mustFinish && !r.done) problem = "did not finish: " + r.stoppedWith;
    if (problem.empty() && !r.done && r.stoppedWith.empty()) problem = "stopped without reason";
    if (!problem.empty()) fail(what, problem + "\n" + transcript(r));
    if (!r.done) ++stopped_;
  }
  void fail(const std::string& what, const std::string& detail) {
    if (failures_++ < 5) ADD_FAILURE() << what << ": " << detail;
  }
  int runs() const { return runs_; }
  // Printed by every test (ctest runs each test in its own process) and recorded as a
  // test property in the XML report.
  void report(const std::string& name) const {
    std::cout << "[planner] " << name << ": " << runs_ << " plans, " << stopped_
              << " stopped with a reason, " << transitions_ << " transitions checked\n";
    ::testing::Test::RecordProperty("transitions", std::to_string(transitions_));
  }
  int stopped() const { return stopped_; }
  int failures() const { return failures_; }

 private:
  int runs_ = 0, stopped_ = 0, failures_ = 0;
  long long transitions_ = 0;
};

// `zkop plan` shows what the operator will do when nothing fails: the same actions as the
// simulated run, and voting sets whose consecutive quorums intersect.
void checkPreview(Tally& tally, const std::string& what, const PlanPreview& preview,
                  const RunResult& run) {
  std::vector<std::string> simulated, previewed;
  for (const auto& s : run.steps) {
    if (isAction(s)) simulated.push_back(describe(s));
  }
  for (const auto& s : preview.steps) previewed.push_back(s.description);
  if (previewed != simulated) tally.fail(what, "the preview differs from the run");
  for (std::size_t i = 1; i < preview.steps.size(); ++i) {
    if (!quorumsIntersect(preview.steps[i - 1].votersAfter, preview.steps[i].votersAfter)) {
      tally.fail(what, "preview step " + std::to_string(i + 1) + " breaks rule 1");
    }
  }
}

TEST(PlannerExhaustive, ScaleEveryPairOfShapesInBothModes) {
  Tally tally;
  const auto shapes = onePoolShapes(9, 2);
  struct Combo {
    ReconfigMode mode;
    UpdateStrategy strategy;
  };
  // StatefulSet only matters where lists roll: Static mode.
  for (auto [mode, strategy] : {Combo{ReconfigMode::Dynamic, UpdateStrategy::LeaderLast},
                                Combo{ReconfigMode::Static, UpdateStrategy::LeaderLast},
                                Combo{ReconfigMode::Static, UpdateStrategy::StatefulSet}}) {
    for (const auto& a : shapes) {
      for (const auto& b : shapes) {
        if (a.voters == b.voters && a.observers == b.observers) continue;
        const auto from = ensembleOf({{"a", a.voters, a.observers}}, mode, "3.8.0", strategy);
        const auto to = ensembleOf({{"a", b.voters, b.observers}}, mode, "3.8.0", strategy);
        auto sim = EnsembleSimulator::settled(from, "3.8.0");
        const PlanPreview preview = previewPlan(to, sim.observed());
        const RunResult r = runPlan(to, sim);
        const std::string what = shapeText(from) + " -> " + shapeText(to);
        tally.record(what, r, !mayBlock(from, to));
        checkPreview(tally, what, preview, r);
        if (!r.done) continue;
        // Dynamic: leaders leave by hand-off, never by restart. Static: one election per
        // list at most (the leader is rolled last).
        const int allowed = mode == ReconfigMode::Dynamic ? 0 : listsWritten(r);
        if (r.stats.leaderRestarts > allowed) {
          tally.fail(what,
                     std::to_string(r.stats.leaderRestarts) + " leader restarts\n" + transcript(r));
        }
      }
    }
  }
  tally.report("scale, every pair of one-pool shapes");
  EXPECT_EQ(tally.failures(), 0);
}

TEST(PlannerExhaustive, UpgradeEveryShapeLeaderAndStrategy) {
  Tally tally;
  struct Combo {
    ReconfigMode mode;
    UpdateStrategy strategy;
  };
  const Combo combos[] = {{ReconfigMode::Dynamic, UpdateStrategy::LeaderLast},
                          {ReconfigMode::Dynamic, UpdateStrategy::Handoff},
                          {ReconfigMode::Dynamic, UpdateStrategy::StatefulSet},
                          {ReconfigMode::Static, UpdateStrategy::LeaderLast},
                          {ReconfigMode::Static, UpdateStrategy::StatefulSet}};
  for (const auto& c : combos) {
    for (const auto& s : onePoolShapes(9, 2)) {
      for (int leader = 1; leader <= s.voters; ++leader) {
        const auto from = ensembleOf({{"a", s.voters, s.observers}}, c.mode, "3.7.0", c.strategy);
        const auto to = ensembleOf({{"a", s.voters, s.observers}}, c.mode, "3.8.0", c.strategy);
        auto sim = EnsembleSimulator::settled(from, "3.7.0", leader);
        const RunResult r = runPlan(to, sim);
        const std::string what = shapeText(to) + " leader " + std::to_string(leader);
        tally.record(what, r, true);
        int allowed = 1;
        if (c.strategy == UpdateStrategy::Handoff && s.voters >= 2) allowed = 0;
        if (c.strategy == UpdateStrategy::StatefulSet) allowed = 2;  // the baseline's cost
        if (r.stats.leaderRestarts > allowed) {
          tally.fail(what,
                     std::to_string(r.stats.leaderRestarts) + " leader restarts\n" + transcript(r));
        }
        const int restarts = s.voters + s.observers;
        const int expectedActions = c.strategy == UpdateStrategy::Handoff && s.voters >= 2
                                        ? restarts + 3  // hand-off, barrier, add back
                                        : restarts;
        if (r.done && actionCount(r) != expectedActions) {
          tally.fail(what,
                     "expected " + std::to_string(expectedActions) + " actions\n" + transcript(r));
        }
      }
    }
  }
  tally.report("upgrades, every shape, leader and strategy");
  EXPECT_EQ(tally.failures(), 0);
}

TEST(PlannerExhaustive, MigrateBetweenPoolsPartiallyAndWhole) {
  Tally tally;
  for (auto mode : {ReconfigMode::Dynamic, ReconfigMode::Static}) {
    for (int n = 1; n <= 9; ++n) {
      for (int stay = 0; stay < n; ++stay) {
        for (int prio : {0, 10}) {
          const auto from = ensembleOf({{"a", n, 0, 5}, {"b", 0, 0, prio}}, mode);
          const auto to = ensembleOf({{"a", stay, 0, 5}, {"b", n - stay, 0, prio}}, mode);
          auto sim = EnsembleSimulator::settled(from, "3.8.0");
          const RunResult r = runPlan(to, sim);
          const std::string what = shapeText(from) + " -> " + shapeText(to);
          tally.record(what, r, true);
          if (!r.done) continue;
          const int allowed = mode == ReconfigMode::Dynamic ? 0 : listsWritten(r);
          if (r.stats.leaderRestarts > allowed) {
            tally.fail(what, std::to_string(r.stats.leaderRestarts) + " leader restarts\n" +
                                 transcript(r));
          }
          for (const auto& m : sim.observed().members) {
            if (m.slot.pool == "b" && m.myid <= n) tally.fail(what, "b reuses a small myid");
          }
        }
      }
      for (int m = 1; m <= 9; ++m) {
        const auto from = ensembleOf({{"a", n}, {"b", 0}}, mode);
        const auto to = ensembleOf({{"a", 0}, {"b", m}}, mode);
        auto sim = EnsembleSimulator::settled(from, "3.8.0");
        const RunResult r = runPlan(to, sim);
        tally.record(shapeText(from) + " -> " + shapeText(to), r, true);
      }
    }
  }
  tally.report("migrations between pools");
  EXPECT_EQ(tally.failures(), 0);
}

// Two pools (the preferred one second), voters 1..9 in total, pool b with 0 or 1 observer,
// every ordered pair, each change combined with a version upgrade: scale-out, scale-in,
// partial and whole migration and role changes all at once, leader placement included.
void reshapeEveryPairOfTwoPoolShapes(const std::vector<ReconfigMode>& modes,
                                     UpdateStrategy strategy, const std::string& name) {
  struct TwoPools {
    int a, b, bObservers;
  };
  std::vector<TwoPools> shapes;
  for (int a = 0; a <= 9; ++a) {
    for (int b = 0; a + b <= 9; ++b) {
      if (a + b == 0) continue;
      for (int o : {0, 1}) shapes.push_back({a, b, o});
    }
  }
  Tally tally;
  for (auto mode : modes) {
    for (const auto& x : shapes) {
      for (const auto& y : shapes) {
        if (x.a == y.a && x.b == y.b && x.bObservers == y.bObservers) continue;
        const auto from =
            ensembleOf({{"a", x.a, 0, 0}, {"b", x.b, x.bObservers, 10}}, mode, "3.7.0", strategy);
        const auto to =
            ensembleOf({{"a", y.a, 0, 0}, {"b", y.b, y.bObservers, 10}}, mode, "3.8.0", strategy);
        auto sim = EnsembleSimulator::settled(from, "3.7.0");
        const int highestBefore = sim.observed().highestMyidIssued;
        const RunResult r = runPlan(to, sim);
        const std::string what = shapeText(from) + " -> " + shapeText(to);
        tally.record(what, r, true);
        if (!r.done) continue;
        // The upgrade costs one leader restart (none with Handoff and 2+ target voters);
        // Static lists one election each.
        const bool handsOff = strategy == UpdateStrategy::Handoff && y.a + y.b >= 2;
        const int allowed =
            (handsOff ? 0 : 1) + (mode == ReconfigMode::Static ? listsWritten(r) : 0);
        if (r.stats.leaderRestarts > allowed) {
          tally.fail(what,
                     std::to_string(r.stats.leaderRestarts) + " leader restarts\n" + transcript(r));
        }
        // Leader placement: new members of the preferred pool b outrank new members of a.
        int newA = -1, newB = 1 << 30;
        for (const auto& m : sim.observed().members) {
          if (m.myid <= highestBefore) continue;
          if (m.slot.pool == "a") newA = std::max(newA, m.myid);
          if (m.slot.pool == "b") newB = std::min(newB, m.myid);
        }
        if (newA > newB) tally.fail(what, "a new member of pool a outranks one of pool b");
      }
    }
  }
  tally.report(name);
  EXPECT_EQ(tally.failures(), 0);
}

TEST(PlannerExhaustive, ReshapeAndUpgradeEveryPairOfTwoPoolShapes) {
  reshapeEveryPairOfTwoPoolShapes({ReconfigMode::Dynamic, ReconfigMode::Static},
                                  UpdateStrategy::LeaderLast,
                                  "two-pool reshapes with upgrade, LeaderLast");
}

TEST(PlannerExhaustive, ReshapeAndUpgradeWithHandoffEveryPairOfTwoPoolShapes) {
  reshapeEveryPairOfTwoPoolShapes({ReconfigMode::Dynamic}, UpdateStrategy::Handoff,
                                  "two-pool reshapes with upgrade, Handoff");
}

// One scenario under every failure we inject, at every action index of its clean plan.
void injectEverywhere(Tally& tally, const DesiredEnsemble& from, const DesiredEnsemble& to,
                      const std::string& fromVersion) {
  auto clean = EnsembleSimulator::settled(from, fromVersion);
  const RunResult baseline = runPlan(to, clean);
  tally.record(shapeText(from) + " -> " + shapeText(to), baseline, !mayBlock(from, to));
  const int actions = actionCount(baseline);
  for (int at = 0; at <= actions; ++at) {
    const std::string where =
        shapeText(from) + " -> " + shapeText(to) + " at action " + std::to_string(at);
    enum class Failure { Crash, DownForGood, DataLost };
    for (Failure failure : {Failure::Crash, Failure::DownForGood, Failure::DataLost}) {
      auto sim = EnsembleSimulator::settled(from, fromVersion);
      RunOptions options;
      options.beforeStep = [at, failure](EnsembleSimulator& s, int index) {
        if (index != at) return;
        const auto& members = s.observed().members;
        // Alternate victims: the leader at even indexes, some other member at odd ones.
        int victim = s.observed().leaderMyid.value_or(-1);
        if (at % 2 == 1 && !members.empty()) {
          victim = members[static_cast<std::size_t>(at / 2) % members.size()].myid;
        }
        if (victim < 0) return;
        if (failure == Failure::DownForGood) s.keepDown(victim);
        if (failure == Failure::DataLost) {
          s.loseData(victim);  // the PVC is gone: the member must be replaced
        } else {
          s.crash(victim);
        }
        s.settle();
      };
      const RunResult r = runPlan(to, sim, options);
      // Recoverable crashes must still finish (unless the clean plan itself stops), and so
      // must a lost disk with 5 or more voters. A member that never returns may stop the
      // plan, with a reason; so may a lost disk with 3 voters: a Static roll cannot restart
      // anyone without the lost vote, and a Dynamic hand-off leaves 2 voters for a while.
      const bool mustFinish =
          baseline.done && (failure == Failure::Crash || (failure == Failure::DataLost &&
                                                          std::min(voters(from), voters(to)) >= 5));
      const char* kind = failure == Failure::Crash         ? " (member crash)"
                         : failure == Failure::DownForGood ? " (member down for good)"
                                                           : " (member loses its data)";
      tally.record(where + kind, r, mustFinish);
    }
    auto sim = EnsembleSimulator::settled(from, fromVersion);
    RunOptions lost;
    lost.statusLostAfterAction = at;
    const RunResult r = runPlan(to, sim, lost);
    tally.record(where + " (operator crash, status lost)", r, baseline.done);
  }
}

TEST(PlannerExhaustive, FailuresAtEveryStepStillEndSafely) {
  Tally tally;
  std::vector<Shape> shapes;
  for (int v : {1, 3, 5, 7}) {
    for (int o : {0, 1}) shapes.push_back({v, o});
  }
  for (auto mode : {ReconfigMode::Dynamic, ReconfigMode::Static}) {
    for (const auto& a : shapes) {
      for (const auto& b : shapes) {
        if (a.voters == b.voters && a.observers == b.observers) continue;
        injectEverywhere(tally, ensembleOf({{"a", a.voters, a.observers}}, mode),
                         ensembleOf({{"a", b.voters, b.observers}}, mode), "3.8.0");
      }
    }
    for (int v : {3, 5}) {
      for (auto strategy : {UpdateStrategy::LeaderLast, UpdateStrategy::Handoff}) {
        if (mode == ReconfigMode::Static && strategy == UpdateStrategy::Handoff) continue;
        injectEverywhere(tally, ensembleOf({{"a", v, 1}}, mode, "3.7.0", strategy),
                         ensembleOf({{"a", v, 1}}, mode, "3.8.0", strategy), "3.7.0");
      }
    }
    injectEverywhere(tally, ensembleOf({{"a", 3}, {"b", 0}}, mode),
                     ensembleOf({{"a", 1}, {"b", 2}}, mode), "3.8.0");
    injectEverywhere(tally, ensembleOf({{"a", 3}, {"b", 0}}, mode),
                     ensembleOf({{"a", 0}, {"b", 3}}, mode), "3.8.0");
  }
  tally.report("failure injection");
  EXPECT_EQ(tally.failures(), 0);
}

// Every step the planner could have taken instead, at every state of a plan: whatever the
// checker accepts must not be unsafe in the model, even if the leader then crashes.
std::vector<Step> alternativeSteps(const DesiredEnsemble& d, const ObservedEnsemble& o) {
  std::vector<Step> steps;
  const std::int64_t v = o.config.version;
  const int fresh = o.effectiveHighestMyid() + 1;
  for (const auto& m : o.members) {
    if (m.slot.isExternal()) continue;
    const ServerEntry* entry = o.config.find(m.myid);
    const Role role = entry != nullptr ? entry->role : Role::Observer;
    const bool leads = o.leaderMyid == m.myid;
    for (bool joiner : {false, true}) {
      if (m.up) {
        steps.push_back(RestartMember{m.slot, m.myid, role, joiner, d.targetVersion, v, leads});
      } else {
        steps.push_back(StartMember{m.slot, m.myid, joiner ? Role::Observer : role, joiner,
                                    d.targetVersion, v});
        steps.push_back(
            StartMember{m.slot, m.myid, Role::Participant, false, d.targetVersion, v - 1});
      }
    }
    steps.push_back(StopMember{m.slot, m.myid, false, leads});
    steps.push_back(CleanDataDir{m.slot, m.myid});
    steps.push_back(AssignMyid{m.slot, m.myid, fresh});
    if (m.myid > 1) steps.push_back(AssignMyid{m.slot, m.myid, m.myid - 1});
    if (entry == nullptr) {
      for (Role r : {Role::Participant, Role::Observer}) {
        steps.push_back(Reconfig{Reconfig::Change::Add, {m.myid, m.slot, r}, v});
      }
    } else {
      steps.push_back(Reconfig{Reconfig::Change::Remove, *entry, v});
      ServerEntry flipped = *entry;
      flipped.role = entry->role == Role::Participant ? Role::Observer : Role::Participant;
      steps.push_back(Reconfig{Reconfig::Change::ChangeRole, flipped, v});
    }
    if (leads) steps.push_back(HandOffLeadership{m.slot, m.myid, v});
  }
  // Lists without one or two of the current servers, and with every member not in it.
  ServerList all = o.config;
  all.version = v + 1;
  for (const auto& m : o.members) {
    if (all.find(m.myid) == nullptr) all.servers.push_back({m.myid, m.slot, Role::Participant});
  }
  steps.push_back(WriteServerList{all});
  for (std::size_t i = 0; i < o.config.servers.size(); ++i) {
    ServerList less = o.config;
    less.version = v + 1;
    less.servers.erase(less.servers.begin() + static_cast<std::ptrdiff_t>(i));
    steps.push_back(WriteServerList{less});
    if (less.servers.size() > 1) {
      less.servers.erase(less.servers.begin());
      steps.push_back(WriteServerList{less});
    }
  }
  steps.push_back(WriteBarrier{v});
  return steps;
}

TEST(PlannerExhaustive, CheckerAdmitsNoStepTheModelFindsUnsafe) {
  Tally tally, recovery;
  long long accepted = 0, refused = 0;
  std::vector<Shape> shapes;
  for (int v : {1, 2, 3, 5, 7}) {
    for (int o : {0, 1}) shapes.push_back({v, o});
  }
  struct Combo {
    ReconfigMode mode;
    UpdateStrategy strategy;
  };
  for (auto [mode, strategy] : {Combo{ReconfigMode::Dynamic, UpdateStrategy::LeaderLast},
                                Combo{ReconfigMode::Dynamic, UpdateStrategy::Handoff},
                                Combo{ReconfigMode::Static, UpdateStrategy::LeaderLast}}) {
    for (const auto& a : shapes) {
      for (const auto& b : shapes) {
        const auto from = ensembleOf({{"a", a.voters, a.observers}}, mode, "3.7.0", strategy);
        const auto to = ensembleOf({{"a", b.voters, b.observers}}, mode, "3.8.0", strategy);
        auto sim = EnsembleSimulator::settled(from, "3.7.0");
        const std::string what = shapeText(from) + " -> " + shapeText(to);
        RunOptions options;
        options.beforeStep = [&](EnsembleSimulator& state, int index) {
          for (const Step& alt : alternativeSteps(to, state.observed())) {
            if (!checkStep(to, state.observed(), alt)) {
              ++refused;
              continue;
            }
            ++accepted;
            EnsembleSimulator copy = state;
            copy.apply(alt);
            copy.settle();
            if (const auto leader = copy.observed().leaderMyid) copy.crash(*leader);
            copy.settle();
            if (!copy.stats().errors.empty()) {
              tally.fail(what, "at step " + std::to_string(index) + " the checker accepted " +
                                   describe(alt) + ": " + copy.stats().errors.back());
            }
            // And the planner takes over from wherever that step left it (every third
            // accepted step, to keep the sanitizer build within its budget).
            if (accepted % 3 != 0) continue;
            EnsembleSimulator detour = state;
            detour.apply(alt);
            detour.settle();
            const RunResult recovered = runPlan(to, detour);
            recovery.record(what + " after " + describe(alt), recovered, true);
          }
        };
        tally.record(what, runPlan(to, sim, options), true);
      }
    }
  }
  tally.report("checker soundness against the model");
  recovery.report("planner recovery after any accepted step");
  std::cout << "[planner] alternative steps: " << accepted << " accepted and found safe, "
            << refused << " refused\n";
  EXPECT_GT(refused, 0);
  EXPECT_EQ(tally.failures(), 0);
  EXPECT_EQ(recovery.failures(), 0);
}

}  // namespace
}  // namespace zkop::planner::testing
