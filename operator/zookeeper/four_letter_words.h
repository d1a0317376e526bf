#pragma once

#include <chrono>
#include <expected>
#include <string>
#include <string_view>

namespace zkop::zookeeper {

// Sends a four-letter word (`srvr`, `mntr`, `ruok`, `conf`) to host:port and returns the
// whole answer. Bounded by `timeout` for connect and read together, so a frozen member
// cannot stall the caller. Errors are values: an unreachable member is "unknown" to the
// observer, not an exception.
std::expected<std::string, std::string> askFourLetterWord(const std::string& host, int port,
                                                          std::string_view word,
                                                          std::chrono::milliseconds timeout);

}  // namespace zkop::zookeeper
