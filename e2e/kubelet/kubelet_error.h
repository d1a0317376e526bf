#pragma once

// The kubelet engine's one error type: which step failed (a syscall, a spec field, a
// lookup) and why. Errors from the environment are values; the pod runner turns them into
// container states (waiting with a reason), never into exceptions.

#include <cerrno>
#include <cstring>
#include <expected>
#include <string>

namespace zkop::sandbox::kubelet {

struct KubeletError {
  std::string step;    // e.g. "mount /usr", "env POD_IP", "connect 127.1.2.3:2181"
  std::string detail;  // human-readable cause
  int err = 0;         // errno when a syscall failed, else 0

  std::string message() const {
    std::string m = step;
    if (!detail.empty()) m += ": " + detail;
    if (err != 0) m += std::string(": ") + std::strerror(err);
    return m;
  }
};

template <typename T>
using Result = std::expected<T, KubeletError>;

// The failure of the syscall that just returned, with errno captured now.
inline std::unexpected<KubeletError> sysError(std::string step) {
  return std::unexpected(KubeletError{std::move(step), {}, errno});
}

inline std::unexpected<KubeletError> specError(std::string step, std::string detail) {
  return std::unexpected(KubeletError{std::move(step), std::move(detail), 0});
}

}  // namespace zkop::sandbox::kubelet
