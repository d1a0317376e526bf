#include "operator/cli/validate_command.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace zkop::cli {
namespace {

const std::string kSource = ZKOP_SOURCE_DIR;

TEST(ValidateCommand, EveryExampleIsValid) {
  for (const auto& entry : std::filesystem::directory_iterator(kSource + "/examples")) {
    if (entry.path().extension() != ".yaml") continue;
    std::ostringstream out, err;
    EXPECT_EQ(runValidate(entry.path().string(), out, err), 0) << entry.path() << "\n" << err.str();
  }
}

TEST(ValidateCommand, FiveMistakesGiveFivePathQualifiedErrors) {
  std::ostringstream out, err;
  EXPECT_EQ(runValidate(kSource + "/tests/testdata/five-mistakes.yaml", out, err), 1);
  const auto text = err.str();
  EXPECT_NE(text.find("document 1 (broken): 5 errors"), std::string::npos) << text;
  for (const auto* expected : {
           "  spec.reconfigMode: unsupported value \"Sometimes\"",
           "  spec.version: invalid value \"latest\"",
           "  spec.replicas: 4 voting members is an even number",
           "  spec.pools[1].name: duplicate value \"a\"",
           "  spec.ports.quorum: port 2181 is already used by spec.ports.client",
       }) {
    EXPECT_NE(text.find(expected), std::string::npos) << "missing: " << expected << "\n" << text;
  }
}

TEST(ValidateCommand, ReadsManyDocumentsAndReportsEachByIndex) {
  const auto path = std::filesystem::temp_directory_path() / "zkop-validate-multi.yaml";
  {
    std::ofstream f(path);
    f << "apiVersion: zkop.io/v1alpha1\nkind: ZookeeperCluster\nmetadata: {name: a}\n---\n"
      << "apiVersion: zkop.io/v1alpha1\nkind: ZookeeperCluster\nmetadata: {name: b}\n"
      << "spec: {replicas: 0}\n";
  }
  std::ostringstream out, err;
  EXPECT_EQ(runValidate(path.string(), out, err), 1);
  EXPECT_NE(out.str().find("document 1 (a): valid"), std::string::npos) << out.str();
  EXPECT_NE(err.str().find("document 2 (b): 1 error\n  spec.replicas: must be >= 1"),
            std::string::npos)
      << err.str();
}

TEST(ValidateCommand, UnreadableInputFails) {
  std::ostringstream out, err;
  EXPECT_EQ(runValidate(kSource + "/does/not/exist.yaml", out, err), 1);
  EXPECT_NE(err.str().find("cannot read"), std::string::npos);
}

}  // namespace
}  // namespace zkop::cli
