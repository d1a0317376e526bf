// The plan preview (`zkop plan`): whole plans from the planner and the expected outcome of
// each step, checked against the acceptance criteria and against the simulator.
#include <gtest/gtest.h>

#include "controllers/planner/plan_preview.h"
#include "tests/planner/ensemble_simulator.h"
#include "tests/planner/plan_runner.h"
#include "tests/planner/test_shapes.h"

namespace zkop::planner::testing {
namespace {

std::string listing(const PlanPreview& p) {
  std::string text;
  for (const auto& s : p.steps) {
    text += std::to_string(s.number) + ". " + s.description + "  [" + s.whySafe + "]\n";
  }
  return text + "end: " + describe(p.end);
}

TEST(PlannerPreview, StaticFiveToElevenShowsSevenAndEveryPairIntersects) {
  const auto from = ensembleOf({{"a", 5}}, ReconfigMode::Static);
  const auto to = ensembleOf({{"a", 11}}, ReconfigMode::Static);
  const auto sim = EnsembleSimulator::settled(from, "3.8.0");
  const PlanPreview preview = previewPlan(to, sim.observed());
  ASSERT_TRUE(std::holds_alternative<Done>(preview.end)) << listing(preview);
  std::vector<int> previous = sim.observed().config.participantIds();
  bool sawSeven = false;
  for (const auto& s : preview.steps) {
    EXPECT_TRUE(quorumsIntersect(previous, s.votersAfter)) << "step " << s.number;
    EXPECT_EQ(s.quorumAfter, quorumSize(static_cast<int>(s.votersAfter.size())));
    EXPECT_FALSE(s.whySafe.empty()) << s.description;
    sawSeven |= s.votersAfter.size() == 7;
    previous = s.votersAfter;
  }
  EXPECT_TRUE(sawSeven) << listing(preview);
  EXPECT_EQ(previous.size(), 11u);
}

TEST(PlannerPreview, ThreeMemberUpgradeRestartsTheLeaderLastOrHandsOffFirst) {
  for (auto strategy : {UpdateStrategy::LeaderLast, UpdateStrategy::Handoff}) {
    const auto from = ensembleOf({{"a", 3}}, ReconfigMode::Dynamic, "3.7.0", strategy);
    const auto to = ensembleOf({{"a", 3}}, ReconfigMode::Dynamic, "3.8.0", strategy);
    const auto sim = EnsembleSimulator::settled(from, "3.7.0");
    const int leader = *sim.observed().leaderMyid;
    const PlanPreview preview = previewPlan(to, sim.observed());
    ASSERT_TRUE(std::holds_alternative<Done>(preview.end)) << listing(preview);
    if (strategy == UpdateStrategy::LeaderLast) {
      ASSERT_EQ(preview.steps.size(), 3u) << listing(preview);
      EXPECT_EQ(preview.steps.back().action, "RestartMember");
      EXPECT_EQ(preview.steps.back().myid, leader);
    } else {
      int handoff = -1, leaderRestart = -1;
      for (const auto& s : preview.steps) {
        if (s.action == "HandOffLeadership") handoff = s.number;
        if (s.action == "RestartMember" && s.myid == leader) leaderRestart = s.number;
      }
      ASSERT_GT(handoff, 0) << listing(preview);
      EXPECT_LT(handoff, leaderRestart) << listing(preview);
      EXPECT_EQ(preview.steps.back().action, "Reconfig");  // the old leader is added back
    }
  }
}

// The preview's projection and the simulator must agree on clean runs: the preview is what
// the operator will actually do when nothing fails.
TEST(PlannerPreview, MatchesTheSimulatedRunWhenNothingFails) {
  int compared = 0;
  for (auto mode : {ReconfigMode::Dynamic, ReconfigMode::Static}) {
    for (int a = 1; a <= 7; a += 2) {
      for (int b = 1; b <= 7; b += 2) {
        const auto from = ensembleOf({{"a", a, 1}, {"b", 0}}, mode, "3.7.0");
        const auto to = ensembleOf({{"a", b / 2, 0}, {"b", b - b / 2, 1}}, mode, "3.8.0");
        auto sim = EnsembleSimulator::settled(from, "3.7.0");
        const PlanPreview preview = previewPlan(to, sim.observed());
        const RunResult run = runPlan(to, sim);
        ASSERT_TRUE(run.done) << run.failure;
        std::vector<std::string> simulated;
        for (const auto& s : run.steps) {
          if (isAction(s)) simulated.push_back(describe(s));
        }
        std::vector<std::string> previewed;
        for (const auto& s : preview.steps) previewed.push_back(s.description);
        EXPECT_EQ(previewed, simulated) << modeName(mode) << " " << a << " -> " << b;
        ++compared;
      }
    }
  }
  EXPECT_EQ(compared, 32);
}

}  // namespace
}  // namespace zkop::planner::testing
