#include "e2e/workload/workload_report.h"

#include <iomanip>
#include <sstream>

namespace zkop::workload {

std::string WorkloadReport::toText() const {
  std::ostringstream out;
  out << std::fixed << std::setprecision(0);
  out << "workload: " << acknowledged << " acknowledged, " << failed << " failed, " << lost
      << " lost of " << attempted << " writes in " << durationMs << " ms; longest pause "
      << longestPauseMs << " ms; " << leaderChanges << " leader change(s)";
  if (!leaders.empty()) {
    out << " (leaders:";
    for (const auto& l : leaders) out << " " << l;
    out << ")";
  }
  out << "\n";
  if (servingInterruptions.empty()) {
    out << "  no member stopped serving while running\n";
  }
  for (const auto& t : servingInterruptions) {
    out << "  " << t.member << " stopped serving (was " << t.previousMode << ") at " << t.atMs
        << " ms\n";
  }
  if (serverListChanges > 0) out << "  member list changed " << serverListChanges << " time(s)\n";
  for (const auto& [member, missing] : missingByMember) {
    if (missing > 0) out << "  " << member << ": " << missing << " acknowledged write(s) missing\n";
  }
  for (const auto& member : unverifiedMembers) out << "  " << member << ": could not verify\n";
  for (const auto& e : errors) out << "  error: " << e << "\n";
  return out.str();
}

Json WorkloadReport::toJson() const {
  Json interruptions = Json::array();
  for (const auto& t : servingInterruptions) {
    interruptions.push_back(
        {{"member", t.member}, {"previousMode", t.previousMode}, {"atMs", t.atMs}});
  }
  return {{"attempted", attempted},
          {"acknowledged", acknowledged},
          {"failed", failed},
          {"lost", lost},
          {"missingByMember", missingByMember},
          {"unverifiedMembers", unverifiedMembers},
          {"longestPauseMs", longestPauseMs},
          {"leaderChanges", leaderChanges},
          {"leaders", leaders},
          {"servingInterruptions", interruptions},
          {"serverListChanges", serverListChanges},
          {"durationMs", durationMs},
          {"errors", errors},
          {"ok", ok()}};
}

}  // namespace zkop::workload
