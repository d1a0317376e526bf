#include "operator/runtime/informer.h"

#include <spdlog/spdlog.h>

namespace zkop::runtime {

std::string_view stateName(Informer::State state) {
  switch (state) {
    case Informer::State::kListing:
      return "Listing";
    case Informer::State::kWatchStarting:
      return "WatchStarting";
    case Informer::State::kWatching:
      return "Watching";
    case Informer::State::kBackoff:
      return "Backoff";
  }
  return "?";
}

namespace {

std::string resourceVersionOf(const Json& object) {
  auto meta = object.find("metadata");
  if (meta == object.end() || !meta->is_object()) return {};
  return meta->value("resourceVersion", "");
}

}  // namespace

Informer::Informer(std::shared_ptr<Client> client, std::shared_ptr<Clock> clock,
                   InformerConfig config, RandomSource random)
    : client_(std::move(client)),
      clock_(std::move(clock)),
      config_(std::move(config)),
      backoff_(config_.backoff, std::move(random)) {}

Informer::~Informer() { stop(); }

void Informer::addHandler(EventHandler handler) {
  std::lock_guard lock(handlers_mutex_);
  if (handler.on_add) {
    for (const auto& object : store_.list()) handler.on_add(object);
  }
  handlers_.push_back(std::move(handler));
}

Informer::State Informer::state() const {
  std::lock_guard lock(mutex_);
  return state_;
}

std::string Informer::lastResourceVersion() const {
  std::lock_guard lock(mutex_);
  return resource_version_;
}

Clock::TimePoint Informer::backoffUntil() const {
  std::lock_guard lock(mutex_);
  return backoff_until_;
}

void Informer::setState(State s) {
  std::lock_guard lock(mutex_);
  state_ = s;
}

void Informer::step() {
  if (stopping_) return;
  State current = state();
  switch (current) {
    case State::kListing:
      stepList();
      break;
    case State::kWatchStarting:
      stepWatchStart();
      break;
    case State::kWatching:
      stepWatch();
      break;
    case State::kBackoff:
      if (clock_->now() >= backoffUntil()) setState(resume_);
      break;
  }
}

void Informer::enterBackoff(State resume, const Error& error) {
  auto delay = backoff_.next();
  if (!stopping_)
    spdlog::warn("informer {}: {}; retrying in {} ms", config_.resource.plural, error.describe(),
                 std::chrono::duration_cast<std::chrono::milliseconds>(delay).count());
  std::lock_guard lock(mutex_);
  resume_ = resume;
  backoff_until_ = clock_->now() + delay;
  stream_.reset();
  state_ = State::kBackoff;
}

void Informer::stepList() {
  ListOptions options;
  options.label_selector = config_.label_selector;
  options.field_selector = config_.field_selector;
  options.limit = config_.page_size;
  options.continue_token = pending_continue_;
  auto page = client_->listPage(config_.resource, config_.namespace_name, options);
  if (!page) {
    const bool continuing = !pending_continue_.empty();
    pending_items_.clear();
    pending_continue_.clear();
    pending_resource_version_.clear();
    // An expired continue token (410) restarts the list; anything else backs off first.
    if (page.error().is(ErrorCategory::kGone) && continuing) return;
    enterBackoff(State::kListing, page.error());
    return;
  }
  if (pending_continue_.empty()) pending_resource_version_ = page->resource_version;
  for (auto& item : page->items) pending_items_.push_back(std::move(item));
  pending_continue_ = page->continue_token;
  if (!pending_continue_.empty()) return;  // more pages: stay in kListing

  ObjectList list;
  list.items = std::move(pending_items_);
  list.resource_version = std::move(pending_resource_version_);
  pending_items_.clear();
  pending_resource_version_.clear();
  applyRelist(std::move(list));
}

void Informer::applyRelist(ObjectList list) {
  // Keep what the handlers need to compute differences, then swap the whole cache at once.
  std::vector<ObjectPtr> added_or_updated;
  const std::string rv = list.resource_version;
  auto previous = store_.replace(std::move(list.items));
  for (const auto& object : store_.list()) {
    auto key = objectKey(*object);
    auto old = previous.find(key);
    if (old == previous.end()) {
      dispatchAdd(object);
    } else {
      if (resourceVersionOf(*old->second) != resourceVersionOf(*object)) {
        dispatchUpdate(old->second, object);
      }
      previous.erase(old);
    }
  }
  for (const auto& [key, gone] : previous) dispatchDelete(gone);
  {
    std::lock_guard lock(mutex_);
    resource_version_ = rv;
    state_ = State::kWatchStarting;
  }
  {
    std::lock_guard lock(sync_mutex_);
    synced_ = true;
  }
  sync_cv_.notify_all();
  backoff_.reset();
  spdlog::debug("informer {}: listed {} objects at resourceVersion {}", config_.resource.plural,
                store_.size(), rv);
}

void Informer::stepWatchStart() {
  WatchOptions options;
  options.resource_version = lastResourceVersion();
  options.label_selector = config_.label_selector;
  options.field_selector = config_.field_selector;
  options.allow_bookmarks = true;
  options.timeout_seconds = config_.watch_timeout;
  auto stream = client_->watch(config_.resource, config_.namespace_name, options);
  if (!stream) {
    if (stream.error().is(ErrorCategory::kGone)) {
      spdlog::info("informer {}: resourceVersion {} expired; relisting", config_.resource.plural,
                   options.resource_version);
      setState(State::kListing);
      return;
    }
    enterBackoff(State::kWatchStarting, stream.error());
    return;
  }
  std::lock_guard lock(mutex_);
  if (stopping_) {
    (*stream)->cancel();
    return;
  }
  stream_ = std::move(*stream);
  watch_started_ = clock_->now();
  watch_events_ = 0;
  state_ = State::kWatching;
}

void Informer::stepWatch() {
  LineStream* stream = nullptr;
  {
    std::lock_guard lock(mutex_);
    stream = stream_.get();
  }
  if (stream == nullptr) {
    setState(State::kWatchStarting);
    return;
  }
  // Only this thread resets stream_, so the pointer stays valid while we read without the lock.
  auto line = stream->readLine();
  if (!line) {
    enterBackoff(State::kWatchStarting, line.error());
    return;
  }
  if (!*line) {
    // Clean end (the server's timeoutSeconds, or it closed the stream): watch again from the
    // last version we saw, unless the stream was suspiciously short and empty.
    const bool suspicious =
        watch_events_ == 0 && clock_->now() - watch_started_ < config_.min_watch_duration;
    if (suspicious) {
      enterBackoff(State::kWatchStarting, Error{ErrorCategory::kTransport,
                                                0,
                                                "watch closed at once without events",
                                                {},
                                                std::nullopt});
      return;
    }
    std::lock_guard lock(mutex_);
    stream_.reset();
    state_ = State::kWatchStarting;
    return;
  }
  if ((*line)->empty()) return;
  auto event = Json::parse(**line, nullptr, false);
  if (!event.is_object() || !event.contains("type") || !event.contains("object")) {
    enterBackoff(State::kWatchStarting,
                 Error{ErrorCategory::kDecode, 0, "undecodable watch event", {}, std::nullopt});
    return;
  }
  const std::string type = event.value("type", "");
  Json& object = event["object"];
  if (type == "ERROR") {
    Error error = errorFromResponse(0, object.dump());
    if (error.is(ErrorCategory::kGone)) {
      spdlog::info("informer {}: watch expired ({}); relisting", config_.resource.plural,
                   error.message);
      std::lock_guard lock(mutex_);
      stream_.reset();
      state_ = State::kListing;
      return;
    }
    enterBackoff(State::kWatchStarting, error);
    return;
  }
  const std::string rv = resourceVersionOf(object);
  ++watch_events_;
  backoff_.reset();
  if (type == "BOOKMARK") {
    // Only the resourceVersion of a bookmark means anything.
  } else if (type == "ADDED" || type == "MODIFIED") {
    if (!object.contains("apiVersion")) object["apiVersion"] = config_.resource.apiVersion();
    if (!object.contains("kind")) object["kind"] = config_.resource.kind;
    auto key = objectKey(object);
    auto old = store_.upsert(std::move(object));
    auto now_cached = store_.get(key);
    if (old) {
      dispatchUpdate(old, now_cached);
    } else {
      dispatchAdd(now_cached);
    }
  } else if (type == "DELETED") {
    auto old = store_.erase(objectKey(object));
    // Deliver the final state the server sent, even if we never saw the object.
    dispatchDelete(std::make_shared<const Json>(std::move(object)));
    (void)old;
  } else {
    spdlog::warn("informer {}: ignoring watch event of type '{}'", config_.resource.plural, type);
    return;
  }
  if (!rv.empty()) {
    std::lock_guard lock(mutex_);
    resource_version_ = rv;
  }
}

bool Informer::waitForSync(const std::stop_token& stop) const {
  std::unique_lock lock(sync_mutex_);
  return sync_cv_.wait(lock, stop, [this] { return synced_.load(); });
}

void Informer::run(std::stop_token stop_token) {
  std::stop_callback on_stop(stop_token, [this] { stop(); });
  while (!stopping_) {
    if (state() == State::kBackoff) {
      std::unique_lock lock(wait_mutex_);
      auto until = backoffUntil();
      if (!stopping_ && clock_->now() < until) {
        clock_->waitUntil(lock, wait_cv_, until);
        continue;
      }
    }
    step();
  }
}

void Informer::stop() {
  {
    std::lock_guard wait_lock(wait_mutex_);
    stopping_ = true;
  }
  wait_cv_.notify_all();
  std::lock_guard lock(mutex_);
  if (stream_) stream_->cancel();
}

void Informer::dispatchAdd(const ObjectPtr& object) {
  std::lock_guard lock(handlers_mutex_);
  for (auto& h : handlers_) {
    if (h.on_add) h.on_add(object);
  }
}

void Informer::dispatchUpdate(const ObjectPtr& old_object, const ObjectPtr& new_object) {
  std::lock_guard lock(handlers_mutex_);
  for (auto& h : handlers_) {
    if (h.on_update) h.on_update(old_object, new_object);
  }
}

void Informer::dispatchDelete(const ObjectPtr& object) {
  std::lock_guard lock(handlers_mutex_);
  for (auto& h : handlers_) {
    if (h.on_delete) h.on_delete(object);
  }
}

}  // namespace zkop::runtime
