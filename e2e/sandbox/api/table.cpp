#include "e2e/sandbox/api/table.h"

#include <algorithm>

#include "e2e/sandbox/api/clock.h"

namespace zkop::sandbox {

using nlohmann::json;

IncludeObject parse_include_object(std::string_view text) {
  if (text == "None") return IncludeObject::None;
  if (text == "Object") return IncludeObject::Object;
  return IncludeObject::Metadata;
}

namespace {

// One step of a path: a field name, an index, a wildcard or an equality filter.
struct Step {
  enum Kind { Field, Index, All, Filter } kind;
  std::string name;
  std::size_t index = 0;
  std::vector<std::string> filter_path;
  json filter_value;
};

std::vector<Step> parse_path(std::string_view path) {
  std::vector<Step> steps;
  if (path.starts_with("{") && path.ends_with("}")) path = path.substr(1, path.size() - 2);
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '.') {
      ++i;
      continue;
    }
    if (path[i] == '[') {
      const std::size_t close = path.find(']', i);
      if (close == std::string_view::npos) break;
      std::string_view inner = path.substr(i + 1, close - i - 1);
      if (inner == "*") {
        steps.push_back({Step::All, "", 0, {}, nullptr});
      } else if (inner.starts_with("?(@.")) {
        // ?(@.type=="Ready")
        std::string_view expr = inner.substr(4);
        if (expr.ends_with(")")) expr.remove_suffix(1);
        const std::size_t eq = expr.find("==");
        Step s{Step::Filter, "", 0, {}, nullptr};
        if (eq != std::string_view::npos) {
          std::string_view field = expr.substr(0, eq);
          std::string_view value = expr.substr(eq + 2);
          std::size_t start = 0;
          while (true) {
            const std::size_t dot = field.find('.', start);
            s.filter_path.emplace_back(field.substr(start, dot - start));
            if (dot == std::string_view::npos) break;
            start = dot + 1;
          }
          if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'')) {
            s.filter_value = std::string(value.substr(1, value.size() - 2));
          } else {
            s.filter_value = json::parse(value, nullptr, false);
          }
        }
        steps.push_back(std::move(s));
      } else if (inner.starts_with("'") || inner.starts_with("\"")) {
        steps.push_back(
            {Step::Field, std::string(inner.substr(1, inner.size() - 2)), 0, {}, nullptr});
      } else {
        steps.push_back({Step::Index,
                         "",
                         static_cast<std::size_t>(std::atoi(std::string(inner).c_str())),
                         {},
                         nullptr});
      }
      i = close + 1;
      continue;
    }
    std::size_t end = i;
    while (end < path.size() && path[end] != '.' && path[end] != '[') ++end;
    steps.push_back({Step::Field, std::string(path.substr(i, end - i)), 0, {}, nullptr});
    i = end;
  }
  return steps;
}

void walk(const json& node, const std::vector<Step>& steps, std::size_t at,
          std::vector<json>& out) {
  if (at == steps.size()) {
    out.push_back(node);
    return;
  }
  const Step& s = steps[at];
  switch (s.kind) {
    case Step::Field:
      if (node.is_object() && node.contains(s.name)) walk(node[s.name], steps, at + 1, out);
      break;
    case Step::Index:
      if (node.is_array() && s.index < node.size()) walk(node[s.index], steps, at + 1, out);
      break;
    case Step::All:
      if (node.is_array()) {
        for (const json& e : node) walk(e, steps, at + 1, out);
      } else if (node.is_object()) {
        for (const auto& [k, v] : node.items()) walk(v, steps, at + 1, out);
      }
      break;
    case Step::Filter:
      if (node.is_array()) {
        for (const json& e : node) {
          const json* v = &e;
          for (const auto& f : s.filter_path) {
            if (v == nullptr || !v->is_object() || !v->contains(f)) {
              v = nullptr;
              break;
            }
            v = &(*v)[f];
          }
          if (v != nullptr && *v == s.filter_value) walk(e, steps, at + 1, out);
        }
      }
      break;
  }
}

std::string text_of(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "<none>";
  if (v.is_array()) {
    std::string out;
    for (const json& e : v) out += (out.empty() ? "" : ",") + text_of(e);
    return out;
  }
  return v.dump();
}

std::string age_of(const json& timestamp, std::chrono::system_clock::time_point now) {
  if (!timestamp.is_string()) return "<unknown>";
  const auto t = parse_rfc3339(timestamp.get<std::string>());
  if (!t) return "<invalid>";
  return human_duration(std::chrono::duration_cast<std::chrono::seconds>(now - *t));
}

// The few computed columns of built-in kinds that no single JSONPath expresses.
json computed_cell(std::string_view spec, const json& object) {
  const std::size_t colon = spec.find(':');
  const std::string_view what = spec.substr(1, colon - 1);
  const std::string_view arg = spec.substr(colon + 1);
  if (what == "count") {
    const json v = evaluate_json_path(object, arg);
    return v.is_object() || v.is_array() ? v.size() : 0;
  }
  if (what == "ports") {
    std::string out;
    for (const json& p : evaluate_json_path(object, arg).is_array()
                             ? evaluate_json_path(object, arg)
                             : json::array()) {
      out += (out.empty() ? "" : ",") + text_of(p.value("port", json(0))) + "/" +
             p.value("protocol", "TCP");
    }
    return out.empty() ? "<none>" : out;
  }
  const json statuses = evaluate_json_path(object, ".status.containerStatuses");
  if (what == "ready") {
    const std::size_t total = evaluate_json_path(object, ".spec.containers").size();
    std::size_t ready = 0;
    if (statuses.is_array()) {
      ready = static_cast<std::size_t>(std::count_if(
          statuses.begin(), statuses.end(), [](const json& s) { return s.value("ready", false); }));
    }
    return std::to_string(ready) + "/" + std::to_string(total);
  }
  if (what == "restarts") {
    long restarts = 0;
    if (statuses.is_array()) {
      for (const json& s : statuses) restarts += s.value("restartCount", 0L);
    }
    return restarts;
  }
  if (what == "ratio") {
    const std::size_t slash = arg.find('/');
    const json a = evaluate_json_path(object, arg.substr(0, slash));
    const json b = evaluate_json_path(object, arg.substr(slash + 1));
    return text_of(a.is_null() ? json(0) : a) + "/" + text_of(b.is_null() ? json(0) : b);
  }
  if (what == "involved") {
    const json& io = object.value("involvedObject", json::object());
    std::string kind = io.value("kind", "");
    std::transform(kind.begin(), kind.end(), kind.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    return kind + "/" + io.value("name", "");
  }
  if (what == "roleref") {
    const json& ref = object.value("roleRef", json::object());
    return ref.value("kind", "") + "/" + ref.value("name", "");
  }
  return nullptr;
}

json cell(const PrinterColumn& c, const json& object, std::chrono::system_clock::time_point now) {
  if (c.json_path.starts_with("#")) return computed_cell(c.json_path, object);
  const json v = evaluate_json_path(object, c.json_path);
  if (c.type == "date") return age_of(v, now);
  if (v.is_null()) return nullptr;
  if (c.type == "string") return text_of(v);
  return v;
}

}  // namespace

json evaluate_json_path(const json& object, std::string_view path) {
  const std::vector<Step> steps = parse_path(path);
  std::vector<json> found;
  walk(object, steps, 0, found);
  const bool many = std::any_of(steps.begin(), steps.end(), [](const Step& s) {
    return s.kind == Step::All || s.kind == Step::Filter;
  });
  if (found.empty()) return nullptr;
  if (!many || found.size() == 1) return found.front();
  return json(found);
}

json partial_object_metadata(const json& object) {
  return {{"kind", "PartialObjectMetadata"},
          {"apiVersion", "meta.k8s.io/v1"},
          {"metadata", object.value("metadata", json::object())}};
}

json build_table(const ResourceType& type, const std::vector<json>& objects,
                 std::chrono::system_clock::time_point now, IncludeObject include,
                 const json& list_metadata) {
  json columns = json::array();
  columns.push_back({{"name", "Name"},
                     {"type", "string"},
                     {"format", "name"},
                     {"description", "Name must be unique within a namespace."},
                     {"priority", 0}});
  for (const PrinterColumn& c : type.columns) {
    columns.push_back({{"name", c.name},
                       {"type", c.type == "date" ? "string" : c.type},
                       {"format", c.format},
                       {"description", c.description},
                       {"priority", c.priority}});
  }
  json rows = json::array();
  for (const json& object : objects) {
    json cells = json::array();
    cells.push_back(object["metadata"].value("name", ""));
    for (const PrinterColumn& c : type.columns) cells.push_back(cell(c, object, now));
    json row = {{"cells", std::move(cells)}};
    if (include == IncludeObject::Object) row["object"] = object;
    if (include == IncludeObject::Metadata) row["object"] = partial_object_metadata(object);
    rows.push_back(std::move(row));
  }
  return {{"kind", "Table"},
          {"apiVersion", "meta.k8s.io/v1"},
          {"metadata", list_metadata},
          {"columnDefinitions", std::move(columns)},
          {"rows", std::move(rows)}};
}

}  // namespace zkop::sandbox
