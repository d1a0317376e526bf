#pragma once

#include <string_view>

namespace zkop::render {

// The scripts the ConfigMap carries, embedded at build time from controllers/render/scripts/
// so that they stay real shell files (readable, shellcheck-able, tested as scripts).
std::string_view startScript();
std::string_view probeScript();

}  // namespace zkop::render
