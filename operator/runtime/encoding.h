#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "operator/runtime/clock.h"

namespace zkop::runtime {

// Standard base64 (RFC 4648, with padding), as kubeconfig *-data fields and basic auth use it.
std::string base64Encode(std::string_view data);
// Tolerates missing padding and embedded whitespace; nullopt on any other invalid character.
std::optional<std::string> base64Decode(std::string_view text);

// Parses an RFC 3339 timestamp ("2026-01-02T03:04:05Z"; fractional seconds and numeric offsets
// allowed), as metav1.Time and metav1.MicroTime are written.
std::optional<Clock::WallTime> parseRfc3339(std::string_view text);
// Formats in UTC: whole seconds (metav1.Time) or six fractional digits (metav1.MicroTime).
std::string formatRfc3339(Clock::WallTime time, bool micros = false);

// Percent-encodes a query parameter value or path segment.
std::string urlEncode(std::string_view text);

}  // namespace zkop::runtime
