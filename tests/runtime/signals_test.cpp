#include "operator/runtime/signals.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <condition_variable>
#include <mutex>

namespace zkop::runtime {
namespace {

// Relies on every other thread of this process having exited (true between tests): the
// watcher blocks SIGTERM only in the threads that exist from its construction on.
TEST(SignalWatcherTest, SigtermRequestsStop) {
  SignalWatcher watcher{std::stop_source{}};
  auto token = watcher.token();
  EXPECT_FALSE(token.stop_requested());
  ASSERT_EQ(::kill(::getpid(), SIGTERM), 0);
  std::mutex m;
  std::condition_variable_any cv;
  std::unique_lock lock(m);
  EXPECT_TRUE(cv.wait(lock, token, [] { return false; }) == false && token.stop_requested());
}

}  // namespace
}  // namespace zkop::runtime
