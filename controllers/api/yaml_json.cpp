#include "controllers/api/yaml_json.h"

#include <yaml-cpp/yaml.h>

#include <regex>

namespace zkop::api {
namespace {

const std::regex& intPattern() {
  static const std::regex re(R"(^[-+]?(0|[1-9][0-9]*)$)");
  return re;
}
const std::regex& floatPattern() {
  static const std::regex re(R"(^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$)");
  return re;
}

bool isNullWord(const std::string& s) {
  return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}
bool isTrueWord(const std::string& s) { return s == "true" || s == "True" || s == "TRUE"; }
bool isFalseWord(const std::string& s) { return s == "false" || s == "False" || s == "FALSE"; }

Json scalarToJson(const YAML::Node& node) {
  const std::string& text = node.Scalar();
  // yaml-cpp tags quoted and block scalars "!", plain scalars "?".
  if (node.Tag() != "?") return text;
  if (isNullWord(text)) return nullptr;
  if (isTrueWord(text)) return true;
  if (isFalseWord(text)) return false;
  if (std::regex_match(text, intPattern())) {
    try {
      return std::stoll(text);
    } catch (const std::out_of_range&) {
      return text;
    }
  }
  if (std::regex_match(text, floatPattern())) return std::stod(text);
  return text;
}

Json nodeToJson(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return nullptr;
    case YAML::NodeType::Scalar:
      return scalarToJson(node);
    case YAML::NodeType::Sequence: {
      Json out = Json::array();
      for (const auto& item : node) out.push_back(nodeToJson(item));
      return out;
    }
    case YAML::NodeType::Map: {
      Json out = Json::object();
      for (const auto& kv : node) out[kv.first.as<std::string>()] = nodeToJson(kv.second);
      return out;
    }
  }
  return nullptr;
}

bool needsQuotes(const std::string& s) {
  return isNullWord(s) || isTrueWord(s) || isFalseWord(s) || s == "yes" || s == "no" || s == "on" ||
         s == "off" || std::regex_match(s, intPattern()) || std::regex_match(s, floatPattern());
}

void emit(YAML::Emitter& out, const Json& value) {
  switch (value.type()) {
    case Json::value_t::object:
      if (value.empty()) {
        out << YAML::Flow << YAML::BeginMap << YAML::EndMap;
        return;
      }
      out << YAML::BeginMap;
      for (const auto& [key, item] : value.items()) {
        out << YAML::Key << key << YAML::Value;
        emit(out, item);
      }
      out << YAML::EndMap;
      return;
    case Json::value_t::array:
      if (value.empty()) {
        out << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
        return;
      }
      out << YAML::BeginSeq;
      for (const auto& item : value) emit(out, item);
      out << YAML::EndSeq;
      return;
    case Json::value_t::string: {
      const auto& s = value.get_ref<const std::string&>();
      if (s.find('\n') != std::string::npos) {
        out << YAML::Literal << s;
      } else if (needsQuotes(s)) {
        out << YAML::DoubleQuoted << s;
      } else {
        out << s;
      }
      return;
    }
    case Json::value_t::boolean:
      out << (value.get<bool>() ? "true" : "false");
      return;
    case Json::value_t::number_integer:
      out << value.get<std::int64_t>();
      return;
    case Json::value_t::number_unsigned:
      out << value.get<std::uint64_t>();
      return;
    case Json::value_t::number_float:
      out << value.get<double>();
      return;
    default:
      out << YAML::Null;
      return;
  }
}

}  // namespace

std::expected<std::vector<Json>, std::string> parseYamlDocuments(std::string_view text) {
  try {
    std::vector<Json> documents;
    for (const auto& node : YAML::LoadAll(std::string(text))) {
      if (node.IsNull()) continue;  // empty documents between `---` separators
      documents.push_back(nodeToJson(node));
    }
    return documents;
  } catch (const YAML::Exception& e) {
    return std::unexpected(std::string("invalid YAML: ") + e.what());
  }
}

std::string toYaml(const Json& value) {
  YAML::Emitter out;
  out.SetIndent(2);
  emit(out, value);
  return std::string(out.c_str()) + "\n";
}

std::string toYamlDocuments(const std::vector<Json>& documents) {
  std::string text;
  for (const auto& doc : documents) text += "---\n" + toYaml(doc);
  return text;
}

}  // namespace zkop::api
