#pragma once

#include <pthread.h>

#include <atomic>
#include <stop_token>
#include <thread>

namespace zkop::runtime {

// Turns SIGTERM and SIGINT into a stop request, without async-signal-safety worries: the
// signals are blocked in every thread and one dedicated thread sigwait()s for them.
// A second signal while stopping exits the process at once (like controller-runtime).
//
// Construct it in main() before any other thread starts, so all threads inherit the mask.
// Thread-safety: construct and destroy on the main thread.
class SignalWatcher {
 public:
  explicit SignalWatcher(std::stop_source source);
  ~SignalWatcher();
  SignalWatcher(const SignalWatcher&) = delete;
  SignalWatcher& operator=(const SignalWatcher&) = delete;

  std::stop_token token() const { return source_.get_token(); }

 private:
  std::stop_source source_;
  std::atomic<bool> done_{false};
  std::thread thread_;
};

}  // namespace zkop::runtime
