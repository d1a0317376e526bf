#include "operator/runtime/signals.h"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdlib>

namespace zkop::runtime {

namespace {
sigset_t watchedSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGUSR2);  // internal: wakes the watcher for destruction
  return set;
}
}  // namespace

SignalWatcher::SignalWatcher(std::stop_source source) : source_(std::move(source)) {
  sigset_t set = watchedSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  thread_ = std::thread([this, set] {
    int received = 0;
    for (;;) {
      if (sigwait(&set, &received) != 0) continue;
      if (done_) return;
      if (received == SIGUSR2) continue;
      if (source_.stop_requested()) {
        spdlog::warn("second signal {}: exiting now", received);
        std::_Exit(1);
      }
      spdlog::info("signal {}: shutting down", received);
      source_.request_stop();
    }
  });
}

SignalWatcher::~SignalWatcher() {
  done_ = true;
  pthread_kill(thread_.native_handle(), SIGUSR2);
  thread_.join();
}

}  // namespace zkop::runtime
