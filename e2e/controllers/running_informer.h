#pragma once

// An Informer together with the thread that runs it: started on construction, stopped and
// joined on destruction (RAII), so a component that owns several informers cannot leak a
// watching thread past its own lifetime.

#include <chrono>
#include <memory>
#include <thread>

#include "operator/runtime/informer.h"

namespace zkop::sandbox {

class RunningInformer {
 public:
  RunningInformer(std::shared_ptr<runtime::Client> client, runtime::InformerConfig config)
      : informer_(std::make_unique<runtime::Informer>(
            std::move(client), std::make_shared<runtime::SystemClock>(), std::move(config))) {}
  ~RunningInformer() { stop(); }
  RunningInformer(const RunningInformer&) = delete;
  RunningInformer& operator=(const RunningInformer&) = delete;

  runtime::Informer& operator*() { return *informer_; }
  runtime::Informer* operator->() { return informer_.get(); }
  const runtime::Store& store() const { return informer_->store(); }

  // Handlers are added before start() so that no event is missed.
  void start() {
    if (!thread_.joinable()) {
      thread_ =
          std::jthread([informer = informer_.get()](std::stop_token stop) { informer->run(stop); });
    }
  }
  void stop() {
    if (thread_.joinable()) {
      thread_.request_stop();
      thread_.join();
    }
  }
  bool hasSynced() const { return informer_->hasSynced(); }

 private:
  std::unique_ptr<runtime::Informer> informer_;
  std::jthread thread_;
};

// Waits until every informer has listed once (or `timeout` passes; a controller working from
// a partial cache would recreate objects that exist). True when all synced.
template <typename... Informers>
bool waitForCacheSync(std::chrono::milliseconds timeout, const Informers&... informers) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!(informers.hasSynced() && ...)) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // poll: no sync callback
  }
  return true;
}

}  // namespace zkop::sandbox
