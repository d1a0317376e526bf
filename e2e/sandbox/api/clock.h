#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace zkop::sandbox {

// Wall-clock time is injected so that timestamps and ages are deterministic in tests.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point now() const = 0;
};

class SystemClock final : public Clock {
 public:
  std::chrono::system_clock::time_point now() const override {
    return std::chrono::system_clock::now();
  }
};

// A clock the test moves by hand.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(std::chrono::system_clock::time_point start) : now_(start) {}
  std::chrono::system_clock::time_point now() const override { return now_; }
  void advance(std::chrono::seconds by) { now_ += by; }

 private:
  std::chrono::system_clock::time_point now_;
};

// RFC 3339 in UTC with second precision, the form Kubernetes uses for metav1.Time.
std::string format_rfc3339(std::chrono::system_clock::time_point t);
std::optional<std::chrono::system_clock::time_point> parse_rfc3339(std::string_view text);

// The short ages kubectl shows ("45s", "3m20s", "5h", "12d"), following apimachinery's
// HumanDuration so that columns read the same as against a real server.
std::string human_duration(std::chrono::seconds d);

}  // namespace zkop::sandbox
