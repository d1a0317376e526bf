#include <gtest/gtest.h>
TEST(PlannerExhaustive, Placeholder) {}
