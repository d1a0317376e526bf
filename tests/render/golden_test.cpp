// Rendered objects compared with readable YAML under tests/golden/. To accept an intended
// change: ZKOP_UPDATE_GOLDEN=1 build/bin/render_tests --gtest_filter='Golden*', then review
// the diff. The scripts are checked against controllers/render/scripts/ and shown in the
// golden files by name only, so that a script change does not rewrite every golden file.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "controllers/render/render.h"
#include "render_fixture.h"

namespace zkop::render {
namespace {

using testing::exampleCluster;
using testing::readFile;

class Golden : public ::testing::TestWithParam<const char*> {};

TEST_P(Golden, RenderedObjectsMatch) {
  const std::string example = GetParam();
  const auto cluster = exampleCluster(example);
  const auto members = initialMemberSet(cluster);
  const auto committed = initialConfig(cluster, members);
  auto objects = renderAll({cluster, members, committed});

  auto& data = objects.at(0)["data"];
  const std::string scripts = std::string(ZKOP_SOURCE_DIR) + "/controllers/render/scripts/";
  for (const auto* script : {"start.sh", "probe.sh"}) {
    EXPECT_EQ(data[script].get<std::string>(), readFile(scripts + script))
        << script << " in the ConfigMap differs from the file";
    data[script] = std::string("<controllers/render/scripts/") + script + ">";
  }

  const auto goldenPath = std::string(ZKOP_SOURCE_DIR) + "/tests/golden/" +
                          example.substr(0, example.size() - 5) + ".rendered.yaml";
  const auto rendered = "# zkop render -f examples/" + example + " (scripts elided)\n" +
                        api::toYamlDocuments(objects);
  if (std::getenv("ZKOP_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(goldenPath) << rendered;
  }
  EXPECT_EQ(rendered, readFile(goldenPath)) << "golden " << goldenPath << " differs; rendered:\n"
                                            << rendered;
}

INSTANTIATE_TEST_SUITE_P(Examples, Golden,
                         ::testing::Values("zookeepercluster.yaml", "zookeepercluster-pools.yaml",
                                           "zookeepercluster-static-external.yaml",
                                           "zookeepercluster-single.yaml"),
                         [](const auto& paramInfo) {
                           std::string name = paramInfo.param;
                           name = name.substr(0, name.size() - 5);
                           for (auto& c : name) {
                             if (c == '-' || c == '.') c = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace zkop::render
