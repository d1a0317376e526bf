#include "controllers/api/json_codec.h"

#include <limits>
#include <set>
#include <span>

namespace zkop::api {
namespace {

std::string quoteList(std::span<const std::string_view> names) {
  std::string out;
  for (auto name : names) {
    if (!out.empty()) out += ", ";
    out += '"';
    out += name;
    out += '"';
  }
  return out;
}

std::string typeName(const Json& j) {
  if (j.is_string()) return "string";
  if (j.is_boolean()) return "boolean";
  if (j.is_number_integer() || j.is_number_unsigned()) return "integer";
  if (j.is_number()) return "number";
  if (j.is_array()) return "array";
  if (j.is_object()) return "object";
  return "null";
}

class Reader;

// readValue overloads: one per wire type. Each returns false (after recording an error)
// when the JSON does not have the expected shape.
bool readValue(const Json& j, const std::string& path, const FieldDoc&, int& out,
               FieldErrors& errors) {
  if (!(j.is_number_integer() || j.is_number_unsigned())) {
    errors.push_back({path, "must be an integer, not " + typeName(j)});
    return false;
  }
  const auto wide = j.get<std::int64_t>();
  if (wide < std::numeric_limits<int>::min() || wide > std::numeric_limits<int>::max()) {
    errors.push_back({path, "is out of range"});
    return false;
  }
  out = static_cast<int>(wide);
  return true;
}

bool readValue(const Json& j, const std::string& path, const FieldDoc&, std::int64_t& out,
               FieldErrors& errors) {
  if (!(j.is_number_integer() || j.is_number_unsigned())) {
    errors.push_back({path, "must be an integer, not " + typeName(j)});
    return false;
  }
  out = j.get<std::int64_t>();
  return true;
}

bool readValue(const Json& j, const std::string& path, const FieldDoc&, bool& out,
               FieldErrors& errors) {
  if (!j.is_boolean()) {
    errors.push_back({path, "must be a boolean, not " + typeName(j)});
    return false;
  }
  out = j.get<bool>();
  return true;
}

bool readValue(const Json& j, const std::string& path, const FieldDoc&, std::string& out,
               FieldErrors& errors) {
  if (!j.is_string()) {
    errors.push_back({path, "must be a string, not " + typeName(j)});
    return false;
  }
  out = j.get<std::string>();
  return true;
}

bool readValue(const Json& j, const std::string& path, const FieldDoc&, StringMap& out,
               FieldErrors& errors) {
  if (!j.is_object()) {
    errors.push_back({path, "must be an object of strings, not " + typeName(j)});
    return false;
  }
  bool ok = true;
  for (const auto& [key, value] : j.items()) {
    if (!value.is_string()) {
      errors.push_back({path + "." + key, "must be a string, not " + typeName(value)});
      ok = false;
      continue;
    }
    out[key] = value.get<std::string>();
  }
  return ok;
}

bool readValue(const Json& j, const std::string& path, const FieldDoc& doc, Json& out,
               FieldErrors& errors) {
  if ((doc.rawType == "object" && !j.is_object()) || (doc.rawType == "array" && !j.is_array())) {
    errors.push_back({path, "must be an " + std::string(doc.rawType) + ", not " + typeName(j)});
    return false;
  }
  out = j;
  return true;
}

template <WireEnum E>
bool readValue(const Json& j, const std::string& path, const FieldDoc&, E& out,
               FieldErrors& errors) {
  const auto& names = EnumTraits<E>::names;
  if (!j.is_string()) {
    errors.push_back({path, "must be one of " + quoteList(names) + ", not " + typeName(j)});
    return false;
  }
  auto value = enumFromName<E>(j.get<std::string>());
  if (!value) {
    errors.push_back({path, "unsupported value \"" + j.get<std::string>() +
                                "\": supported values: " + quoteList(names)});
    return false;
  }
  out = *value;
  return true;
}

template <class T>
bool readValue(const Json& j, const std::string& path, const FieldDoc& doc, std::vector<T>& out,
               FieldErrors& errors);

template <class T>
requires std::is_class_v<T> && requires(Reader& r, T& t) { visitFields(r, t); }
bool readValue(const Json& j, const std::string& path, const FieldDoc&, T& out,
               FieldErrors& errors);

// Walks one JSON object along a struct's visitFields, remembering which keys it consumed
// so that the rest can be reported as unknown.
class Reader {
 public:
  Reader(const Json& object, std::string path, FieldErrors& errors)
      : object_(object), path_(std::move(path)), errors_(errors) {}

  template <class T>
  void field(std::string_view key, std::optional<T>& out, const FieldDoc& doc) {
    const auto it = find(key);
    if (it == object_.end() || it->is_null()) return;
    T value{};
    if (readValue(*it, childPath(key), doc, value, errors_)) out = std::move(value);
  }

  template <class T>
  void field(std::string_view key, T& out, const FieldDoc& doc) {
    const auto it = find(key);
    if (it == object_.end() || it->is_null()) {
      if (doc.required) errors_.push_back({childPath(key), "required value"});
      return;
    }
    readValue(*it, childPath(key), doc, out, errors_);
  }

  void reportUnknownFields() const {
    for (const auto& [key, value] : object_.items()) {
      if (!seen_.contains(key)) errors_.push_back({childPath(key), "unknown field"});
    }
  }

 private:
  Json::const_iterator find(std::string_view key) {
    seen_.emplace(key);
    return object_.find(std::string(key));
  }
  std::string childPath(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  }

  const Json& object_;
  std::string path_;
  FieldErrors& errors_;
  std::set<std::string, std::less<>> seen_;
};

template <class T>
bool readValue(const Json& j, const std::string& path, const FieldDoc& doc, std::vector<T>& out,
               FieldErrors& errors) {
  if (!j.is_array()) {
    errors.push_back({path, "must be an array, not " + typeName(j)});
    return false;
  }
  bool ok = true;
  for (std::size_t i = 0; i < j.size(); ++i) {
    T item{};
    if (readValue(j[i], path + "[" + std::to_string(i) + "]", doc, item, errors)) {
      out.push_back(std::move(item));
    } else {
      ok = false;
    }
  }
  return ok;
}

template <class T>
requires std::is_class_v<T> && requires(Reader& r, T& t) { visitFields(r, t); }
bool readValue(const Json& j, const std::string& path, const FieldDoc&, T& out,
               FieldErrors& errors) {
  if (!j.is_object()) {
    errors.push_back({path, "must be an object, not " + typeName(j)});
    return false;
  }
  Reader reader(j, path, errors);
  visitFields(reader, out);
  reader.reportUnknownFields();
  return true;
}

// ---- encoding ----

Json writeValue(int v) { return v; }
Json writeValue(std::int64_t v) { return v; }
Json writeValue(bool v) { return v; }
Json writeValue(const std::string& v) { return v; }
Json writeValue(const StringMap& v) { return Json(v); }
Json writeValue(const Json& v) { return v; }
template <WireEnum E>
Json writeValue(E v) {
  return std::string(enumName(v));
}
template <class T>
Json writeValue(const std::vector<T>& v);
template <class T>
requires std::is_class_v<T> &&
    (!std::same_as<T, std::string>)&&(!std::same_as<T, Json>)&&(!std::same_as<T, StringMap>)Json
    writeValue(const T& v);

class Writer {
 public:
  template <class T>
  void field(std::string_view key, const std::optional<T>& value, const FieldDoc&) {
    if (value) out_[std::string(key)] = writeValue(*value);
  }
  template <class T>
  void field(std::string_view key, const T& value, const FieldDoc&) {
    out_[std::string(key)] = writeValue(value);
  }
  Json take() { return std::move(out_); }

 private:
  Json out_ = Json::object();
};

template <class T>
Json writeValue(const std::vector<T>& v) {
  Json out = Json::array();
  for (const auto& item : v) out.push_back(writeValue(item));
  return out;
}

template <class T>
requires std::is_class_v<T> &&
    (!std::same_as<T, std::string>)&&(!std::same_as<T, Json>)&&(!std::same_as<T, StringMap>)Json
    writeValue(const T& v) {
  Writer writer;
  visitFields(writer, v);
  return writer.take();
}

}  // namespace

Decoded decodeCluster(const Json& object) {
  Decoded result;
  auto& errors = result.errors;
  if (!object.is_object()) {
    errors.push_back({"<root>", "must be an object, not " + typeName(object)});
    return result;
  }
  const auto apiVersion = object.value("apiVersion", "");
  const auto kind = object.value("kind", "");
  if (apiVersion != kApiVersion) {
    errors.push_back(
        {"apiVersion", "must be \"" + std::string(kApiVersion) + "\", not \"" + apiVersion + "\""});
  }
  if (kind != kKind) {
    errors.push_back({"kind", "must be \"" + std::string(kKind) + "\", not \"" + kind + "\""});
  }
  for (const auto& [key, value] : object.items()) {
    if (key != "apiVersion" && key != "kind" && key != "metadata" && key != "spec" &&
        key != "status") {
      errors.push_back({key, "unknown field"});
    }
  }
  if (auto it = object.find("metadata"); it != object.end()) {
    if (it->is_object()) {
      result.cluster.metadata = *it;
    } else {
      errors.push_back({"metadata", "must be an object, not " + typeName(*it)});
    }
  }
  if (!result.cluster.metadata.contains("name") &&
      !result.cluster.metadata.contains("generateName")) {
    errors.push_back({"metadata.name", "required value"});
  }
  if (auto it = object.find("spec"); it != object.end() && !it->is_null()) {
    readValue(*it, "spec", FieldDoc{}, result.cluster.spec, errors);
  }
  if (auto it = object.find("status"); it != object.end() && !it->is_null()) {
    ZookeeperClusterStatus status;
    if (readValue(*it, "status", FieldDoc{}, status, errors)) result.cluster.status = status;
  }
  return result;
}

Json encodeSpec(const ZookeeperClusterSpec& spec) { return writeValue(spec); }
Json encodeStatus(const ZookeeperClusterStatus& status) { return writeValue(status); }

ZookeeperClusterStatus decodeStatus(const Json& status, FieldErrors& errors) {
  ZookeeperClusterStatus out;
  readValue(status, "status", FieldDoc{}, out, errors);
  return out;
}

Json encodeCluster(const ZookeeperCluster& cluster) {
  Json out = {{"apiVersion", kApiVersion},
              {"kind", kKind},
              {"metadata", cluster.metadata},
              {"spec", encodeSpec(cluster.spec)}};
  if (cluster.status) out["status"] = encodeStatus(*cluster.status);
  return out;
}

}  // namespace zkop::api
