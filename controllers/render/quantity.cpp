#include "controllers/render/quantity.h"

#include <cmath>
#include <regex>
#include <string>

namespace zkop::render {

std::optional<std::int64_t> parseMemoryQuantity(std::string_view text) {
  static const std::regex re(R"(^([0-9]+(\.[0-9]+)?)(e[0-9]+|Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$)");
  std::match_results<std::string_view::const_iterator> m;
  if (!std::regex_match(text.begin(), text.end(), m, re)) return std::nullopt;
  const double number = std::stod(m[1].str());
  const std::string suffix = m[3].str();
  double factor = 1;
  if (suffix.starts_with("e")) {
    factor = std::pow(10.0, std::stoi(suffix.substr(1)));
  } else if (!suffix.empty()) {
    const bool binary = suffix.size() == 2;
    const std::string units = "kMGTPE";
    const auto power = units.find(suffix[0] == 'K' ? 'k' : suffix[0]) + 1;
    factor = std::pow(binary ? 1024.0 : 1000.0, static_cast<double>(power));
  }
  return static_cast<std::int64_t>(number * factor);
}

std::int64_t heapMiBForLimit(std::int64_t limitBytes) { return limitBytes * 3 / 4 / (1024 * 1024); }

}  // namespace zkop::render
