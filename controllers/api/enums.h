#pragma once

#include <array>
#include <string_view>

#include "controllers/api/field_doc.h"

namespace zkop::api {

// How membership changes are made: `reconfig` (ZooKeeper >= 3.5) or rolling restarts
// with a rewritten server list (3.4 style).
enum class ReconfigMode { Dynamic, Static };
// How a version upgrade orders restarts (see docs/upgrades.md).
enum class UpdateStrategy { LeaderLast, Handoff, StatefulSet };
enum class ReclaimPolicy { Retain, Delete };
enum class MemberRole { Participant, Observer };
enum class Phase { Creating, Running, Upgrading, Scaling, Migrating, Degraded, Failed };
enum class PullPolicy { Always, IfNotPresent, Never };

template <>
struct EnumTraits<ReconfigMode> {
  static constexpr std::array<std::string_view, 2> names{"Dynamic", "Static"};
};
template <>
struct EnumTraits<UpdateStrategy> {
  static constexpr std::array<std::string_view, 3> names{"LeaderLast", "Handoff", "StatefulSet"};
};
template <>
struct EnumTraits<ReclaimPolicy> {
  static constexpr std::array<std::string_view, 2> names{"Retain", "Delete"};
};
template <>
struct EnumTraits<MemberRole> {
  static constexpr std::array<std::string_view, 2> names{"Participant", "Observer"};
};
template <>
struct EnumTraits<Phase> {
  static constexpr std::array<std::string_view, 7> names{
      "Creating", "Running", "Upgrading", "Scaling", "Migrating", "Degraded", "Failed"};
};
template <>
struct EnumTraits<PullPolicy> {
  static constexpr std::array<std::string_view, 3> names{"Always", "IfNotPresent", "Never"};
};

}  // namespace zkop::api
