#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace zkop::render {

// Bytes of a Kubernetes memory quantity ("1Gi", "512M", "1e9", "1500000"). Only the forms a
// memory limit takes; returns nothing for anything else.
std::optional<std::int64_t> parseMemoryQuantity(std::string_view text);

// The JVM heap (MiB) for a container memory limit: three quarters of it, leaving the rest
// for metaspace, thread stacks and direct buffers.
std::int64_t heapMiBForLimit(std::int64_t limitBytes);

}  // namespace zkop::render
