#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "controllers/api/json.h"

namespace zkop::api {

// A CEL rule of the CRD (x-kubernetes-validations) attached to a field.
struct CelRule {
  std::string_view rule;
  std::string_view message;
};

// What the model says about one field besides its C++ type. The JSON codec, the defaulter
// and the CRD's OpenAPI schema are all derived from the same `visitFields` declarations, so
// the field names, defaults and bounds exist in one place only.
struct FieldDoc {
  std::string_view description;
  std::optional<std::int64_t> minimum{};
  std::optional<std::int64_t> maximum{};
  // Default applied by the API server (CRD `default`) and by api::applyDefaults.
  Json defaultValue{};
  // The field may be absent: the parent gets `default: {}` so nested defaults apply.
  bool defaultEmptyObject = false;
  bool required = false;
  std::string_view pattern{};
  // What a value that does not match `pattern` is told ("must be a quantity such as 10Gi").
  std::string_view patternMessage{};
  // For fields kept as raw JSON: "object" or "array"; their contents are preserved as-is.
  std::string_view rawType{};
  // For lists of objects: the keys that identify an item (x-kubernetes-list-map-keys).
  std::vector<std::string_view> listMapKeys{};
  std::vector<CelRule> rules{};
};

// Enum types are spelled on the wire exactly as Kubernetes spells enums: CamelCase words.
template <class E>
struct EnumTraits;  // specialised next to each enum: static constexpr std::array names

template <class E>
std::string_view enumName(E value) {
  return EnumTraits<E>::names[static_cast<std::size_t>(value)];
}

template <class E>
std::optional<E> enumFromName(std::string_view name) {
  const auto& names = EnumTraits<E>::names;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return static_cast<E>(i);
  }
  return std::nullopt;
}

template <class T>
concept WireEnum = requires {
  EnumTraits<T>::names;
};

}  // namespace zkop::api
