#include "e2e/workload/member_list.h"

#include <fstream>
#include <sstream>

namespace zkop::workload {

MemberList::MemberList(std::vector<std::string> initial, std::string file,
                       std::chrono::milliseconds reread)
    : file_(std::move(file)), reread_(reread) {
  for (auto& address : initial) members_.push_back({std::move(address), {}});
  if (!file_.empty()) {
    std::lock_guard lock(mutex_);
    rereadLocked(std::chrono::steady_clock::now());
    version_ = 0;  // what the file says at the start is the starting point
  }
}

std::optional<std::vector<Member>> MemberList::parse(const std::string& text) {
  std::vector<Member> members;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    std::istringstream words(line);
    Member member;
    if (!(words >> member.address)) continue;
    words >> member.name;
    if (member.address.find(':') == std::string::npos) return std::nullopt;
    members.push_back(std::move(member));
  }
  if (members.empty()) return std::nullopt;
  return members;
}

std::optional<std::vector<Member>> MemberList::readFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str());
}

std::string MemberList::connectString(const std::vector<Member>& members) {
  std::string out;
  for (const auto& m : members) out += (out.empty() ? "" : ",") + m.address;
  return out;
}

void MemberList::rereadLocked(std::chrono::steady_clock::time_point now) {
  lastRead_ = now;
  auto read = readFile(file_);
  if (read && *read != members_) {
    members_ = std::move(*read);
    ++version_;
  }
}

std::pair<std::uint64_t, std::vector<Member>> MemberList::current() {
  std::lock_guard lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  if (!file_.empty() && now - lastRead_ >= reread_) rereadLocked(now);
  return {version_, members_};
}

std::vector<Member> MemberList::refresh() {
  std::lock_guard lock(mutex_);
  if (!file_.empty()) rereadLocked(std::chrono::steady_clock::now());
  return members_;
}

}  // namespace zkop::workload
