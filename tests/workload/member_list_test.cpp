// The member list file that scenarios rewrite while the workload runs.
#include "e2e/workload/member_list.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace zkop::workload {
namespace {

TEST(MemberList, ParsesAddressesNamesAndComments) {
  const auto members =
      MemberList::parse("# members\n127.0.0.11:2181 zk-0\n\n  127.0.0.12:2181   # no name\n");
  ASSERT_TRUE(members.has_value());
  ASSERT_EQ(members->size(), 2u);
  EXPECT_EQ((*members)[0].address, "127.0.0.11:2181");
  EXPECT_EQ((*members)[0].label(), "zk-0");
  EXPECT_EQ((*members)[1].label(), "127.0.0.12:2181");
  EXPECT_EQ(MemberList::connectString(*members), "127.0.0.11:2181,127.0.0.12:2181");
}

TEST(MemberList, RefusesEmptyListsAndAddressesWithoutPort) {
  EXPECT_FALSE(MemberList::parse("").has_value());
  EXPECT_FALSE(MemberList::parse("# nothing\n").has_value());
  EXPECT_FALSE(MemberList::parse("127.0.0.1 zk-0\n").has_value());
}

TEST(MemberList, FollowsTheFileAndKeepsTheLastGoodList) {
  const auto file = std::filesystem::temp_directory_path() / "zkop-member-list-test";
  std::ofstream(file) << "127.0.0.11:2181 zk-0\n";
  MemberList list({"127.0.0.1:1"}, file.string(), std::chrono::milliseconds(0));
  auto [version, members] = list.current();
  EXPECT_EQ(version, 0u);  // the file as it was at the start
  ASSERT_EQ(members.size(), 1u);
  EXPECT_EQ(members[0].name, "zk-0");
  std::ofstream(file) << "127.0.0.11:2181 zk-0\n127.0.0.12:2181 zk-1\n";
  std::tie(version, members) = list.current();
  EXPECT_EQ(version, 1u);
  EXPECT_EQ(members.size(), 2u);
  std::ofstream(file) << "";  // being rewritten: the last list stays
  std::tie(version, members) = list.current();
  EXPECT_EQ(version, 1u);
  EXPECT_EQ(members.size(), 2u);
  std::filesystem::remove(file);
  EXPECT_EQ(list.refresh().size(), 2u);
}

TEST(MemberList, WithoutAFileTheListIsFixed) {
  MemberList list({"127.0.0.11:2181", "127.0.0.12:2181"});
  auto [version, members] = list.current();
  EXPECT_EQ(version, 0u);
  EXPECT_EQ(members.size(), 2u);
  EXPECT_EQ(members[1].label(), "127.0.0.12:2181");
}

}  // namespace
}  // namespace zkop::workload
