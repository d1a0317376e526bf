#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace zkop::workload {

// One ZooKeeper member as the workload sees it: its client address and, when known, a name
// (the pod's) that stays the same when the member comes back on another address.
struct Member {
  std::string address;  // host:port
  std::string name;

  const std::string& label() const { return name.empty() ? address : name; }
  bool operator==(const Member&) const = default;
};

// The members to write through, watch and verify. Either fixed, or re-read from a file (one
// member a line: `host:port [name]`; blank lines and `#` comments ignored) that whoever drives
// the workload rewrites when pods move: a scale-out adds members, a recreated pod has a new
// address. An unreadable or empty file keeps the last list.
class MemberList {
 public:
  MemberList(std::vector<std::string> initial, std::string file = {},
             std::chrono::milliseconds reread = std::chrono::milliseconds(500));

  // The current members and a version that grows whenever they change.
  std::pair<std::uint64_t, std::vector<Member>> current();
  // Re-reads the file now (if there is one) and returns the members.
  std::vector<Member> refresh();

  static std::optional<std::vector<Member>> parse(const std::string& text);
  static std::optional<std::vector<Member>> readFile(const std::string& path);
  static std::string connectString(const std::vector<Member>& members);

 private:
  void rereadLocked(std::chrono::steady_clock::time_point now);

  std::string file_;
  std::chrono::milliseconds reread_;
  std::mutex mutex_;
  std::vector<Member> members_;
  std::uint64_t version_ = 0;
  std::chrono::steady_clock::time_point lastRead_{};
};

}  // namespace zkop::workload
