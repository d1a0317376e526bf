#include "e2e/sandbox/api/selectors.h"

#include <algorithm>
#include <cctype>

namespace zkop::sandbox {

using nlohmann::json;

namespace {

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

// Splits on commas that are not inside parentheses.
std::vector<std::string> split_top_level(std::string_view text) {
  std::vector<std::string> out;
  int depth = 0;
  std::string current;
  for (char c : text) {
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (c == ',' && depth == 0) {
      out.push_back(trim(current));
      current.clear();
    } else {
      current += c;
    }
  }
  if (!trim(current).empty() || !out.empty()) out.push_back(trim(current));
  return out;
}

std::vector<std::string> split(std::string_view text, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t pos = text.find(sep, start);
    out.push_back(trim(text.substr(start, pos - start)));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return out;
}

std::string as_text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  return v.dump();
}

}  // namespace

Result<LabelSelector> LabelSelector::parse(std::string_view text) {
  LabelSelector selector;
  for (const std::string& part : split_top_level(text)) {
    if (part.empty())
      return std::unexpected(errors::bad_request("invalid label selector: " + std::string(text)));
    Requirement r;
    const auto set_op = [&](std::string_view word, Op op) -> bool {
      const std::size_t pos = part.find(word);
      if (pos == std::string::npos) return false;
      const std::size_t open = part.find('(', pos);
      const std::size_t close = part.rfind(')');
      if (open == std::string::npos || close == std::string::npos || close < open) return false;
      r.key = trim(std::string_view(part).substr(0, pos));
      r.op = op;
      r.values = split(std::string_view(part).substr(open + 1, close - open - 1), ',');
      return true;
    };
    if (set_op(" notin ", Op::NotIn) || set_op(" in ", Op::In)) {
      // parsed
    } else if (const auto ne = part.find("!="); ne != std::string::npos) {
      r = {trim(part.substr(0, ne)), Op::NotEquals, {trim(part.substr(ne + 2))}};
    } else if (const auto eqeq = part.find("=="); eqeq != std::string::npos) {
      r = {trim(part.substr(0, eqeq)), Op::Equals, {trim(part.substr(eqeq + 2))}};
    } else if (const auto eq = part.find('='); eq != std::string::npos) {
      r = {trim(part.substr(0, eq)), Op::Equals, {trim(part.substr(eq + 1))}};
    } else if (part.front() == '!') {
      r = {trim(part.substr(1)), Op::DoesNotExist, {}};
    } else {
      r = {part, Op::Exists, {}};
    }
    if (r.key.empty()) {
      return std::unexpected(errors::bad_request("unable to parse requirement: " + part));
    }
    selector.requirements_.push_back(std::move(r));
  }
  return selector;
}

bool LabelSelector::matches(const json& labels) const {
  for (const Requirement& r : requirements_) {
    const bool has = labels.is_object() && labels.contains(r.key);
    const std::string value = has ? as_text(labels[r.key]) : std::string();
    const bool in_values = std::find(r.values.begin(), r.values.end(), value) != r.values.end();
    switch (r.op) {
      case Op::Equals:
      case Op::In:
        if (!has || !in_values) return false;
        break;
      case Op::NotEquals:
      case Op::NotIn:
        if (has && in_values) return false;
        break;
      case Op::Exists:
        if (!has) return false;
        break;
      case Op::DoesNotExist:
        if (has) return false;
        break;
    }
  }
  return true;
}

Result<FieldSelector> FieldSelector::parse(std::string_view text) {
  FieldSelector selector;
  for (const std::string& part : split_top_level(text)) {
    Requirement r;
    std::string path;
    if (const auto ne = part.find("!="); ne != std::string::npos) {
      path = trim(part.substr(0, ne));
      r.equals = false;
      r.value = trim(part.substr(ne + 2));
    } else if (const auto eqeq = part.find("=="); eqeq != std::string::npos) {
      path = trim(part.substr(0, eqeq));
      r.equals = true;
      r.value = trim(part.substr(eqeq + 2));
    } else if (const auto eq = part.find('='); eq != std::string::npos) {
      path = trim(part.substr(0, eq));
      r.equals = true;
      r.value = trim(part.substr(eq + 1));
    } else {
      return std::unexpected(errors::bad_request("invalid field selector: " + std::string(text)));
    }
    if (path.empty()) {
      return std::unexpected(errors::bad_request("invalid field selector: " + std::string(text)));
    }
    r.path = split(path, '.');
    selector.requirements_.push_back(std::move(r));
  }
  return selector;
}

bool FieldSelector::matches(const json& object) const {
  for (const Requirement& r : requirements_) {
    const json* node = &object;
    for (const std::string& step : r.path) {
      if (node == nullptr || !node->is_object() || !node->contains(step)) {
        node = nullptr;
        break;
      }
      node = &(*node)[step];
    }
    const std::string value = node == nullptr ? std::string() : as_text(*node);
    if ((value == r.value) != r.equals) return false;
  }
  return true;
}

std::string label_selector_string(const json& selector) {
  std::vector<std::string> parts;
  if (!selector.is_object()) return {};
  const json match_labels = selector.value("matchLabels", json::object());
  for (const auto& [k, v] : match_labels.items()) {
    parts.push_back(k + "=" + as_text(v));
  }
  for (const json& e : selector.value("matchExpressions", json::array())) {
    const std::string key = e.value("key", "");
    const std::string op = e.value("operator", "");
    std::string values;
    for (const json& v : e.value("values", json::array())) {
      values += (values.empty() ? "" : ",") + as_text(v);
    }
    if (op == "In") parts.push_back(key + " in (" + values + ")");
    if (op == "NotIn") parts.push_back(key + " notin (" + values + ")");
    if (op == "Exists") parts.push_back(key);
    if (op == "DoesNotExist") parts.push_back("!" + key);
  }
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : ",") + p;
  return out;
}

}  // namespace zkop::sandbox
