#include "e2e/sandbox/api/structural_schema.h"

#include <algorithm>

namespace zkop::sandbox {

using nlohmann::json;

namespace {

bool flag(const json& schema, const char* name) {
  return schema.is_object() && schema.contains(name) && schema.at(name).is_boolean() &&
         schema.at(name).get<bool>();
}

std::string join(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

void prune(json& value, const json& schema, const std::string& path, bool root,
           std::vector<std::string>& unknown) {
  if (!schema.is_object() || flag(schema, "x-kubernetes-int-or-string")) return;
  if (value.is_object()) {
    const bool embedded = root || flag(schema, "x-kubernetes-embedded-resource");
    const bool preserve = flag(schema, "x-kubernetes-preserve-unknown-fields");
    const json* properties = schema.contains("properties") ? &schema["properties"] : nullptr;
    const json* additional =
        schema.contains("additionalProperties") && schema["additionalProperties"].is_object()
            ? &schema["additionalProperties"]
            : nullptr;
    std::vector<std::string> drop;
    for (auto& [key, child] : value.items()) {
      if (embedded && (key == "apiVersion" || key == "kind" || key == "metadata")) {
        if (properties != nullptr && properties->contains(key) && key != "metadata") {
          prune(child, (*properties)[key], join(path, key), false, unknown);
        }
        continue;
      }
      if (properties != nullptr && properties->contains(key)) {
        prune(child, (*properties)[key], join(path, key), false, unknown);
      } else if (additional != nullptr) {
        prune(child, *additional, join(path, key), false, unknown);
      } else if (!preserve && !(schema.contains("additionalProperties") &&
                                schema["additionalProperties"] == true)) {
        drop.push_back(key);
      }
    }
    for (const auto& key : drop) {
      unknown.push_back(join(path, key));
      value.erase(key);
    }
  } else if (value.is_array() && schema.contains("items")) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      prune(value[i], schema["items"], path + "[" + std::to_string(i) + "]", false, unknown);
    }
  }
}

void defaults(json& value, const json& schema) {
  if (!schema.is_object()) return;
  if (value.is_object()) {
    if (schema.contains("properties")) {
      for (const auto& [key, prop] : schema["properties"].items()) {
        const bool absent =
            !value.contains(key) || (value[key].is_null() && !flag(prop, "nullable"));
        if (absent && prop.is_object() && prop.contains("default")) value[key] = prop["default"];
        if (value.contains(key)) defaults(value[key], prop);
      }
    }
    if (schema.contains("additionalProperties") && schema["additionalProperties"].is_object()) {
      for (auto& [key, child] : value.items()) defaults(child, schema["additionalProperties"]);
    }
  } else if (value.is_array() && schema.contains("items")) {
    for (auto& element : value) defaults(element, schema["items"]);
  }
}

std::string type_of(const json& v) {
  if (v.is_null()) return "null";
  if (v.is_boolean()) return "boolean";
  if (v.is_number_integer()) return "integer";
  if (v.is_number()) return "number";
  if (v.is_string()) return "string";
  if (v.is_array()) return "array";
  return "object";
}

std::string shown(const json& v) { return v.dump(); }

void validate(const json& value, const json& schema, const std::string& path,
              std::vector<FieldCause>& causes) {
  if (!schema.is_object()) return;
  if (value.is_null()) {
    if (!flag(schema, "nullable") && schema.contains("type")) {
      causes.push_back({"FieldValueTypeInvalid", path,
                        "Invalid value: \"null\": " + path + " in body must be of type " +
                            schema["type"].get<std::string>() + ": \"null\""});
    }
    return;
  }
  if (flag(schema, "x-kubernetes-int-or-string")) {
    if (!value.is_number_integer() && !value.is_string()) {
      causes.push_back({"FieldValueTypeInvalid", path,
                        "Invalid value: \"" + type_of(value) + "\": " + path +
                            " in body must be of type integer-or-string"});
    }
    return;
  }
  if (schema.contains("type") && schema["type"].is_string()) {
    const std::string want = schema["type"].get<std::string>();
    const std::string have = type_of(value);
    const bool ok = want == have || (want == "number" && have == "integer");
    if (!ok) {
      causes.push_back({"FieldValueTypeInvalid", path,
                        "Invalid value: \"" + have + "\": " + path + " in body must be of type " +
                            want + ": \"" + have + "\""});
      return;
    }
  }
  if (schema.contains("enum") && schema["enum"].is_array()) {
    const json& options = schema["enum"];
    if (std::find(options.begin(), options.end(), value) == options.end()) {
      std::string list;
      for (const json& o : options) list += (list.empty() ? "" : ", ") + shown(o);
      causes.push_back({"FieldValueNotSupported", path,
                        "Unsupported value: " + shown(value) + ": supported values: " + list});
    }
  }
  if (value.is_number()) {
    if (schema.contains("minimum") && value.get<double>() < schema["minimum"].get<double>()) {
      causes.push_back({"FieldValueInvalid", path,
                        "Invalid value: " + shown(value) + ": " + path +
                            " in body should be greater than or equal to " +
                            schema["minimum"].dump()});
    }
    if (schema.contains("maximum") && value.get<double>() > schema["maximum"].get<double>()) {
      causes.push_back({"FieldValueInvalid", path,
                        "Invalid value: " + shown(value) + ": " + path +
                            " in body should be less than or equal to " +
                            schema["maximum"].dump()});
    }
  }
  if (value.is_string()) {
    const auto len = value.get<std::string>().size();
    if (schema.contains("minLength") && len < schema["minLength"].get<std::size_t>()) {
      causes.push_back({"FieldValueInvalid", path,
                        "Invalid value: " + shown(value) + ": " + path +
                            " in body should be at least " + schema["minLength"].dump() +
                            " chars long"});
    }
    if (schema.contains("maxLength") && len > schema["maxLength"].get<std::size_t>()) {
      causes.push_back({"FieldValueTooLong", path,
                        "Too long: may not be longer than " + schema["maxLength"].dump()});
    }
  }
  if (value.is_object()) {
    for (const json& req : schema.value("required", json::array())) {
      if (req.is_string() && !value.contains(req.get<std::string>())) {
        causes.push_back(
            {"FieldValueRequired", join(path, req.get<std::string>()), "Required value"});
      }
    }
    if (schema.contains("properties")) {
      for (const auto& [key, prop] : schema["properties"].items()) {
        if (value.contains(key) && !(path.empty() && key == "metadata")) {
          validate(value[key], prop, join(path, key), causes);
        }
      }
    }
    if (schema.contains("additionalProperties") && schema["additionalProperties"].is_object()) {
      for (const auto& [key, child] : value.items()) {
        validate(child, schema["additionalProperties"], join(path, key), causes);
      }
    }
  } else if (value.is_array()) {
    if (schema.contains("minItems") && value.size() < schema["minItems"].get<std::size_t>()) {
      causes.push_back({"FieldValueInvalid", path,
                        "Invalid value: " + std::to_string(value.size()) + ": " + path +
                            " in body should have at least " + schema["minItems"].dump() +
                            " items"});
    }
    if (schema.contains("maxItems") && value.size() > schema["maxItems"].get<std::size_t>()) {
      causes.push_back({"FieldValueTooMany", path,
                        "Too many: " + std::to_string(value.size()) + ": must have at most " +
                            schema["maxItems"].dump() + " items"});
    }
    if (schema.contains("items")) {
      for (std::size_t i = 0; i < value.size(); ++i) {
        validate(value[i], schema["items"], path + "[" + std::to_string(i) + "]", causes);
      }
    }
  }
}

}  // namespace

std::vector<std::string> prune_unknown_fields(json& object, const json& schema) {
  std::vector<std::string> unknown;
  prune(object, schema, "", true, unknown);
  return unknown;
}

void apply_defaults(json& object, const json& schema) { defaults(object, schema); }

std::vector<FieldCause> validate_against_schema(const json& object, const json& schema) {
  std::vector<FieldCause> causes;
  validate(object, schema, "", causes);
  return causes;
}

}  // namespace zkop::sandbox
