#include "controllers/render/quantity.h"

#include <gtest/gtest.h>

namespace zkop::render {
namespace {

TEST(Quantity, ParsesMemoryQuantities) {
  EXPECT_EQ(parseMemoryQuantity("1Gi"), 1024LL * 1024 * 1024);
  EXPECT_EQ(parseMemoryQuantity("512Mi"), 512LL * 1024 * 1024);
  EXPECT_EQ(parseMemoryQuantity("1G"), 1000LL * 1000 * 1000);
  EXPECT_EQ(parseMemoryQuantity("1.5Gi"), 1536LL * 1024 * 1024);
  EXPECT_EQ(parseMemoryQuantity("1e3"), 1000);
  EXPECT_EQ(parseMemoryQuantity("129"), 129);
  EXPECT_FALSE(parseMemoryQuantity("lots"));
  EXPECT_FALSE(parseMemoryQuantity("1Zi"));
}

TEST(Quantity, HeapIsThreeQuartersOfTheLimit) {
  EXPECT_EQ(heapMiBForLimit(1024LL * 1024 * 1024), 768);
}

}  // namespace
}  // namespace zkop::render
