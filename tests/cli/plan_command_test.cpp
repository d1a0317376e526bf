#include "operator/cli/plan_command.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <sstream>

#include "controllers/api/json.h"

namespace zkop::cli {
namespace {

const std::string kData = std::string(ZKOP_SOURCE_DIR) + "/tests/testdata/";

struct Ran {
  int status;
  std::string out;
  std::string err;
};

PlanOptions options(std::string file, std::string observed = {}, std::string from = {},
                    bool json = false) {
  PlanOptions o;
  o.file = std::move(file);
  o.observed = std::move(observed);
  o.from = std::move(from);
  o.json = json;
  return o;
}

Ran plan(const PlanOptions& options) {
  std::ostringstream out, err;
  const int status = runPlan(options, out, err);
  return {status, out.str(), err.str()};
}

std::vector<int> restartedMyids(const Json& steps) {
  std::vector<int> out;
  for (const auto& s : steps) {
    if (s["action"] == "RestartMember") out.push_back(s["myid"]);
  }
  return out;
}

TEST(PlanCommand, StaticFiveToElevenPassesThroughSevenAndKeepsQuorumsIntersecting) {
  const auto ran = plan(options(kData + "static-11.yaml", {}, kData + "static-5.yaml", true));
  ASSERT_EQ(ran.status, 0) << ran.err;
  const auto steps = Json::parse(ran.out);
  ASSERT_TRUE(steps.is_array());
  std::vector<int> previous = {1, 2, 3, 4, 5};
  bool sawSeven = false;
  for (const auto& step : steps) {
    const auto voters = step["votersAfter"].get<std::vector<int>>();
    sawSeven = sawSeven || voters.size() == 7;
    std::set<int> both(previous.begin(), previous.end());
    both.insert(voters.begin(), voters.end());
    const auto q = [](std::size_t n) { return n / 2 + 1; };
    EXPECT_GT(q(previous.size()) + q(voters.size()), both.size())
        << "step " << step["number"] << ": " << step["description"];
    previous = voters;
  }
  EXPECT_TRUE(sawSeven);
  EXPECT_EQ(previous.size(), 11u);
}

TEST(PlanCommand, UpgradeFromTheClusterStatusRestartsTheLeaderLast) {
  const auto ran = plan(options(kData + "zk-upgrading-with-status.yaml", {}, {}, true));
  ASSERT_EQ(ran.status, 0) << ran.err;
  EXPECT_EQ(restartedMyids(Json::parse(ran.out)), (std::vector<int>{1, 3, 2}))
      << "zk-1 (myid 2) leads: it goes last\n"
      << ran.out;
}

TEST(PlanCommand, ObservedEnsembleDocumentAndTextOutput) {
  const auto ran =
      plan(options(kData + "zk-upgrading-with-status.yaml", kData + "observed-3-leader-1.yaml"));
  ASSERT_EQ(ran.status, 0) << ran.err;
  const auto last = ran.out.rfind("restart default-0 (myid 1");
  ASSERT_NE(last, std::string::npos) << ran.out;
  EXPECT_EQ(ran.out.find("restart", last + 1), std::string::npos) << "the leader is last\n"
                                                                  << ran.out;
  EXPECT_NE(ran.out.find("voters 1,2,3  observers -  quorum 2"), std::string::npos) << ran.out;
  EXPECT_NE(ran.out.find("end: done"), std::string::npos) << ran.out;
}

TEST(PlanCommand, InvalidInputIsAnError) {
  const auto ran = plan(options(kData + "five-mistakes.yaml"));
  EXPECT_EQ(ran.status, 1);
  EXPECT_NE(ran.err.find("spec.reconfigMode"), std::string::npos) << ran.err;
}

}  // namespace
}  // namespace zkop::cli
