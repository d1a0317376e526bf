#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "operator/runtime/backoff.h"
#include "operator/runtime/client.h"
#include "operator/runtime/clock.h"
#include "operator/runtime/store.h"

namespace zkop::runtime {

// Callbacks for cache changes, called on the informer's thread after the store has changed.
// Keep them cheap (enqueue a key); they must not block.
struct EventHandler {
  std::function<void(const ObjectPtr& object)> on_add;
  std::function<void(const ObjectPtr& old_object, const ObjectPtr& new_object)> on_update;
  std::function<void(const ObjectPtr& object)> on_delete;
};

struct InformerConfig {
  InformerConfig() = default;
  explicit InformerConfig(ResourceDescriptor r) : resource(std::move(r)) {}

  ResourceDescriptor resource;
  std::string namespace_name;  // "" = all namespaces
  std::string label_selector;
  std::string field_selector;
  int page_size = 500;
  std::chrono::seconds watch_timeout{300};
  BackoffConfig backoff;  // 800 ms doubling to 30 s, full jitter: client-go's reflector
  // A watch that ends sooner than this without delivering an event is treated as a failure
  // (backoff) rather than re-opened at once: protects the server from a tight loop.
  Clock::Duration min_watch_duration = std::chrono::seconds(1);

  InformerConfig& inNamespace(std::string ns) {
    namespace_name = std::move(ns);
    return *this;
  }
  InformerConfig& withLabels(std::string selector) {
    label_selector = std::move(selector);
    return *this;
  }
  InformerConfig& withPageSize(int n) {
    page_size = n;
    return *this;
  }
  InformerConfig& withWatchTimeout(std::chrono::seconds s) {
    watch_timeout = s;
    return *this;
  }
};

// List-then-watch for one resource type, kept in a local Store. An explicit state machine:
//
//   kListing ──(all pages)──▶ swap cache ──▶ kWatchStarting ──(opened)──▶ kWatching
//      ▲                                        ▲   │                         │
//      │ 410 Gone (list or watch)               │   └─(error)──▶ kBackoff ◀───┤ (error / short
//      └────────────────────────────────────────┴───────────────────────────── ┘  empty stream)
//   kWatching ──(clean end)──▶ kWatchStarting from the last seen resourceVersion.
//
// A relist builds the new cache completely and swaps it in one step (Store::replace), then
// emits add/update/delete for the differences, so no change is lost across a 410.
//
// step() performs one transition and never waits (a backoff state only reports its
// deadline), so tests drive it with a fake transport and a fake clock; run() loops step() on
// the calling thread, waiting out backoffs on the Clock, until the stop token fires.
//
// Thread-safety: step()/run() from one thread only; store(), hasSynced(), state() and
// addHandler() from any thread; stop() from any thread (cancels an open watch).
class Informer {
 public:
  enum class State { kListing, kWatchStarting, kWatching, kBackoff };

  Informer(std::shared_ptr<Client> client, std::shared_ptr<Clock> clock, InformerConfig config,
           RandomSource random = defaultRandomSource());
  ~Informer();
  Informer(const Informer&) = delete;
  Informer& operator=(const Informer&) = delete;

  // Registers a handler; objects already cached are delivered to it as adds first.
  void addHandler(EventHandler handler);

  void step();
  void run(std::stop_token stop);
  void stop();

  const Store& store() const { return store_; }
  bool hasSynced() const { return synced_.load(); }
  // Blocks until the first complete list is in the cache; false if `stop` fired first.
  bool waitForSync(const std::stop_token& stop) const;
  State state() const;
  std::string lastResourceVersion() const;
  // When in kBackoff: the time at which the next step() proceeds.
  Clock::TimePoint backoffUntil() const;
  const InformerConfig& config() const { return config_; }

 private:
  void stepList();
  void stepWatchStart();
  void stepWatch();
  void enterBackoff(State resume, const Error& error);
  void applyRelist(ObjectList list);
  void dispatchAdd(const ObjectPtr& object);
  void dispatchUpdate(const ObjectPtr& old_object, const ObjectPtr& new_object);
  void dispatchDelete(const ObjectPtr& object);
  void setState(State s);

  std::shared_ptr<Client> client_;
  std::shared_ptr<Clock> clock_;
  InformerConfig config_;
  Backoff backoff_;
  Store store_;
  std::atomic<bool> synced_{false};
  std::atomic<bool> stopping_{false};

  // State of the machine; mutated only by the stepping thread, read under mutex_ by others.
  mutable std::mutex mutex_;
  State state_ = State::kListing;
  State resume_ = State::kListing;
  Clock::TimePoint backoff_until_{};
  std::string resource_version_;
  std::unique_ptr<LineStream> stream_;  // guarded by mutex_ for cancel from stop()
  Clock::TimePoint watch_started_{};
  int watch_events_ = 0;
  // Pages of a list in progress: kept until the last page, then swapped in together.
  std::vector<Json> pending_items_;
  std::string pending_continue_;
  std::string pending_resource_version_;

  std::mutex handlers_mutex_;
  std::vector<EventHandler> handlers_;
  std::mutex wait_mutex_;
  std::condition_variable wait_cv_;
  mutable std::mutex sync_mutex_;
  mutable std::condition_variable_any sync_cv_;
};

std::string_view stateName(Informer::State state);

}  // namespace zkop::runtime
