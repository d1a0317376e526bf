#include "controllers/api/openapi_schema.h"

#include "controllers/api/cluster_types.h"

namespace zkop::api {
namespace {

class SchemaBuilder;

Json schemaOf(const int*, const FieldDoc&) { return {{"type", "integer"}, {"format", "int32"}}; }
Json schemaOf(const std::int64_t*, const FieldDoc&) {
  return {{"type", "integer"}, {"format", "int64"}};
}
Json schemaOf(const bool*, const FieldDoc&) { return {{"type", "boolean"}}; }
Json schemaOf(const std::string*, const FieldDoc&) { return {{"type", "string"}}; }
Json schemaOf(const StringMap*, const FieldDoc&) {
  return {{"type", "object"}, {"additionalProperties", {{"type", "string"}}}};
}
Json schemaOf(const Json*, const FieldDoc& doc) {
  const Json preserved = {{"type", "object"}, {"x-kubernetes-preserve-unknown-fields", true}};
  if (doc.rawType == "array") return {{"type", "array"}, {"items", preserved}};
  return preserved;
}
template <WireEnum E>
Json schemaOf(const E*, const FieldDoc&) {
  Json values = Json::array();
  for (auto name : EnumTraits<E>::names) values.push_back(std::string(name));
  return {{"type", "string"}, {"enum", values}};
}
template <class T>
Json schemaOf(const std::vector<T>*, const FieldDoc& doc);
template <class T>
requires std::is_class_v<T> && requires(SchemaBuilder& b, T& t) { visitFields(b, t); }
Json schemaOf(const T*, const FieldDoc&);

class SchemaBuilder {
 public:
  template <class T>
  void field(std::string_view key, std::optional<T>&, const FieldDoc& doc) {
    add(key, schemaOf(static_cast<const T*>(nullptr), doc), doc);
  }
  template <class T>
  void field(std::string_view key, T&, const FieldDoc& doc) {
    add(key, schemaOf(static_cast<const T*>(nullptr), doc), doc);
  }

  Json take() {
    Json out = {{"type", "object"}, {"properties", properties_}};
    if (!required_.empty()) out["required"] = required_;
    return out;
  }

 private:
  void add(std::string_view key, Json schema, const FieldDoc& doc) {
    if (!doc.description.empty()) schema["description"] = std::string(doc.description);
    if (doc.minimum) schema["minimum"] = *doc.minimum;
    if (doc.maximum) schema["maximum"] = *doc.maximum;
    if (!doc.defaultValue.is_null()) schema["default"] = doc.defaultValue;
    if (doc.defaultEmptyObject) schema["default"] = Json::object();
    if (!doc.pattern.empty()) schema["pattern"] = std::string(doc.pattern);
    if (!doc.listMapKeys.empty()) {
      schema["x-kubernetes-list-type"] = "map";
      Json keys = Json::array();
      for (auto k : doc.listMapKeys) keys.push_back(std::string(k));
      schema["x-kubernetes-list-map-keys"] = keys;
    }
    if (!doc.rules.empty()) {
      Json rules = Json::array();
      for (const auto& r : doc.rules) {
        rules.push_back({{"rule", std::string(r.rule)}, {"message", std::string(r.message)}});
      }
      schema["x-kubernetes-validations"] = rules;
    }
    if (doc.required) required_.push_back(std::string(key));
    properties_[std::string(key)] = std::move(schema);
  }

  Json properties_ = Json::object();
  Json required_ = Json::array();
};

template <class T>
Json schemaOf(const std::vector<T>*, const FieldDoc& doc) {
  // Item-level facts (bounds, pattern) describe the list itself, not its items.
  FieldDoc itemDoc;
  itemDoc.rawType = doc.rawType;
  return {{"type", "array"}, {"items", schemaOf(static_cast<const T*>(nullptr), itemDoc)}};
}

template <class T>
requires std::is_class_v<T> && requires(SchemaBuilder& b, T& t) { visitFields(b, t); }
Json schemaOf(const T*, const FieldDoc&) {
  SchemaBuilder builder;
  T prototype{};
  visitFields(builder, prototype);
  return builder.take();
}

}  // namespace

Json zookeeperClusterSchema() {
  Json spec = schemaOf(static_cast<const ZookeeperClusterSpec*>(nullptr), {});
  spec["description"] = "Desired state of the ZooKeeper ensemble.";
  Json status = schemaOf(static_cast<const ZookeeperClusterStatus*>(nullptr), {});
  status["description"] = "Observed state of the ZooKeeper ensemble.";
  return {
      {"type", "object"},
      {"description",
       "A ZooKeeper ensemble run by zkop: every change is applied step by step "
       "in a quorum-safe order."},
      {"properties",
       {{"apiVersion", {{"type", "string"}}},
        {"kind", {{"type", "string"}}},
        {"metadata", {{"type", "object"}}},
        {"spec", spec},
        {"status", status}}},
  };
}

}  // namespace zkop::api
