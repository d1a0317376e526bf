#pragma once

#include <iosfwd>
#include <string>

namespace zkop::cli {

// `zkop plan -f NEW [--from CURRENT]`: the steps the operator would take to bring an
// ensemble settled as CURRENT (nothing, when omitted: a creation) to NEW, each with the
// voting set after it and why it is safe. Assumes every step succeeds; the operator replans
// from what it observes at every step.
int runPlan(const std::string& file, const std::string& from, std::ostream& out, std::ostream& err);

}  // namespace zkop::cli
