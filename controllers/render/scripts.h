#pragma once

#include <string_view>

namespace zkop::render {

// The scripts the ConfigMap carries, embedded at build time from controllers/render/scripts/
// so that they stay real shell files (readable, shellcheck-able, tested as scripts).
std::string_view startScript();
std::string_view probeScript();

// start.sh's exit code when this member's myid has served before and its data dir does not
// hold that myid's data (a lost or replaced disk). EX_DATAERR of sysexits.h: ZooKeeper's own
// exit codes (1-20) and the script's other refusals (1) never use it.
inline constexpr int kDataLostExitCode = 65;

}  // namespace zkop::render
