#pragma once

// A runtime::Client over the scripted FakeTransport of the runtime tests (no sleeps between
// retries), for the reconciler's I/O tests.

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "operator/runtime/client.h"
#include "tests/runtime/fake_transport.h"

namespace zkop::reconciler::testing {

inline std::string statusJson(int code, const std::string& reason) {
  return Json{{"kind", "Status"}, {"code", code}, {"reason", reason}, {"message", reason + "!"}}
      .dump();
}

struct IoTest : ::testing::Test {
  std::shared_ptr<runtime::testing::FakeTransport> transport =
      std::make_shared<runtime::testing::FakeTransport>();
  std::shared_ptr<runtime::Client> client = std::make_shared<runtime::Client>(transport, [] {
    runtime::ClientConfig config;
    config.sleep = [](std::chrono::milliseconds) {};
    return config;
  }());
};

}  // namespace zkop::reconciler::testing
