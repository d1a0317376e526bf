#include "e2e/sandbox/api/openapi_v2_protobuf.h"

#include <cstdint>
#include <cstring>
#include <string_view>

namespace zkop::sandbox {

using nlohmann::json;

namespace {

// Field numbers of gnostic's OpenAPIv2.proto used below.
namespace field {
constexpr int kDocumentSwagger = 1, kDocumentInfo = 2, kDocumentDefinitions = 9;
constexpr int kInfoTitle = 1, kInfoVersion = 2;
constexpr int kNamedName = 1, kNamedValue = 2;  // NamedSchema, NamedAny
constexpr int kRepeatedEntries = 1;             // Definitions, Properties, TypeItem, ItemsItem
constexpr int kAnyYaml = 2;
constexpr int kAdditionalSchema = 1, kAdditionalBoolean = 2;
constexpr int kRef = 1, kFormat = 2, kTitle = 3, kDescription = 4, kDefault = 5, kMaximum = 7,
              kMinimum = 9, kMaxLength = 11, kMinLength = 12, kPattern = 13, kMaxItems = 14,
              kMinItems = 15, kRequired = 19, kEnum = 20, kAdditionalProperties = 21, kType = 22,
              kItems = 23, kProperties = 25, kVendorExtension = 31;
}  // namespace field

// The protobuf wire format, just the parts a message of strings, numbers and submessages needs.
class Writer {
 public:
  void bytes(int number, std::string_view data) {
    tag(number, 2);
    varint(data.size());
    out_.append(data);
  }
  void integer(int number, std::uint64_t value) {
    tag(number, 0);
    varint(value);
  }
  void real(int number, double value) {
    tag(number, 1);
    std::uint64_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    for (int i = 0; i < 8; ++i) out_ += static_cast<char>((bits >> (8 * i)) & 0xff);
  }
  std::string take() { return std::move(out_); }

 private:
  void tag(int number, int wire_type) {
    varint((static_cast<std::uint64_t>(number) << 3) | static_cast<std::uint64_t>(wire_type));
  }
  void varint(std::uint64_t v) {
    while (v >= 0x80) {
      out_ += static_cast<char>((v & 0x7f) | 0x80);
      v >>= 7;
    }
    out_ += static_cast<char>(v);
  }
  std::string out_;
};

std::string any_of(const json& value) {
  Writer w;
  w.bytes(field::kAnyYaml, value.dump());
  return w.take();
}

std::string named(std::string_view name, const std::string& value) {
  Writer w;
  w.bytes(field::kNamedName, name);
  w.bytes(field::kNamedValue, value);
  return w.take();
}

std::string schema(const json& s) {
  Writer w;
  if (!s.is_object()) return w.take();
  const auto str = [&](const char* key, int number) {
    if (s.contains(key) && s.at(key).is_string()) w.bytes(number, s.at(key).get<std::string>());
  };
  const auto count = [&](const char* key, int number) {
    if (s.contains(key) && s.at(key).is_number_unsigned()) {
      w.integer(number, s.at(key).get<std::uint64_t>());
    }
  };
  const auto num = [&](const char* key, int number) {
    if (s.contains(key) && s.at(key).is_number()) w.real(number, s.at(key).get<double>());
  };
  str("$ref", field::kRef);
  str("format", field::kFormat);
  str("title", field::kTitle);
  str("description", field::kDescription);
  if (s.contains("default")) w.bytes(field::kDefault, any_of(s.at("default")));
  num("maximum", field::kMaximum);
  num("minimum", field::kMinimum);
  count("maxLength", field::kMaxLength);
  count("minLength", field::kMinLength);
  str("pattern", field::kPattern);
  count("maxItems", field::kMaxItems);
  count("minItems", field::kMinItems);
  if (s.contains("required") && s.at("required").is_array()) {
    for (const json& r : s.at("required")) {
      if (r.is_string()) w.bytes(field::kRequired, r.get<std::string>());
    }
  }
  if (s.contains("enum") && s.at("enum").is_array()) {
    for (const json& e : s.at("enum")) w.bytes(field::kEnum, any_of(e));
  }
  if (s.contains("additionalProperties")) {
    const json& a = s.at("additionalProperties");
    Writer item;
    if (a.is_boolean()) item.integer(field::kAdditionalBoolean, a.get<bool>() ? 1 : 0);
    if (a.is_object()) item.bytes(field::kAdditionalSchema, schema(a));
    w.bytes(field::kAdditionalProperties, item.take());
  }
  if (s.contains("type") && s.at("type").is_string()) {
    Writer type;
    type.bytes(field::kRepeatedEntries, s.at("type").get<std::string>());
    w.bytes(field::kType, type.take());
  }
  if (s.contains("items") && s.at("items").is_object()) {
    Writer items;
    items.bytes(field::kRepeatedEntries, schema(s.at("items")));
    w.bytes(field::kItems, items.take());
  }
  if (s.contains("properties") && s.at("properties").is_object()) {
    Writer properties;
    for (const auto& [name, sub] : s.at("properties").items()) {
      properties.bytes(field::kRepeatedEntries, named(name, schema(sub)));
    }
    w.bytes(field::kProperties, properties.take());
  }
  for (const auto& [key, value] : s.items()) {
    if (key.starts_with("x-")) w.bytes(field::kVendorExtension, named(key, any_of(value)));
  }
  return w.take();
}

}  // namespace

std::string encode_openapi_v2_protobuf(const json& document) {
  Writer doc;
  doc.bytes(field::kDocumentSwagger, document.value("swagger", "2.0"));
  const json info = document.value("info", json::object());
  Writer info_writer;
  info_writer.bytes(field::kInfoTitle, info.value("title", "Kubernetes"));
  info_writer.bytes(field::kInfoVersion, info.value("version", ""));
  doc.bytes(field::kDocumentInfo, info_writer.take());
  Writer definitions;
  const json all = document.value("definitions", json::object());
  for (const auto& [name, s] : all.items()) {
    definitions.bytes(field::kRepeatedEntries, named(name, schema(s)));
  }
  doc.bytes(field::kDocumentDefinitions, definitions.take());
  return doc.take();
}

}  // namespace zkop::sandbox
