#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "operator/runtime/client.h"
#include "operator/runtime/clock.h"

namespace zkop::runtime {

enum class EventType { kNormal, kWarning };

// Writes core/v1 Events about objects, as client-go's recorder does: an event identical to an
// earlier one (same object, type, reason and message) is not created again but has its
// `count` and `lastTimestamp` bumped on the existing Event, so a condition repeated on every
// reconcile stays one line in `kubectl describe`.
//
// Failures to write events are logged and returned, never fatal to the caller.
//
// Thread-safety: internally locked; events are written one at a time.
class EventRecorder {
 public:
  EventRecorder(std::shared_ptr<Client> client, std::shared_ptr<Clock> clock, std::string component,
                std::string instance);

  Result<void> record(const Json& object, EventType type, const std::string& reason,
                      const std::string& message);
  Result<void> normal(const Json& object, const std::string& reason, const std::string& message) {
    return record(object, EventType::kNormal, reason, message);
  }
  Result<void> warning(const Json& object, const std::string& reason, const std::string& message) {
    return record(object, EventType::kWarning, reason, message);
  }

 private:
  struct Seen {
    std::string name;
    std::string namespace_name;
    int count = 0;
  };

  std::shared_ptr<Client> client_;
  std::shared_ptr<Clock> clock_;
  std::string component_;
  std::string instance_;
  std::mutex mutex_;
  std::map<std::string, Seen> seen_;  // dedupe key → the Event that carries it
  unsigned long sequence_ = 0;
};

}  // namespace zkop::runtime
