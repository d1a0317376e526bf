#pragma once

// Pod IPs: each pod gets its own loopback address 127.A.B.C, so every pod binds the real
// ports (2181, 2888, 3888, ...) without clashing. Linux routes all of 127/8 to `lo`, so no
// interface configuration is needed. A sandbox instance owns one block 127.A.B.0/24,
// chosen from its name, so several sandboxes (parallel tests) run side by side.
//
// Addresses are handed out round-robin, not lowest-free: a pod that is deleted and
// recreated gets a new address, as in Kubernetes, which catches code that caches IPs.
// An address some socket on the host still uses (a lingering server from another run) is
// skipped.
//
// Thread-safe (one mutex).

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "e2e/kubelet/kubelet_error.h"

namespace zkop::sandbox::kubelet {

class AddressAllocator {
 public:
  // True when an address is already bound by some socket on the host.
  using InUse = std::function<bool(const std::string& ip)>;

  // The block 127.<octet2>.<octet3>.0/24. octet2 is kept away from 0 (127.0.0.1, the
  // host's own loopback services) and 1 (127.0.1.1, Debian's hostname line).
  AddressAllocator(int octet2, int octet3, InUse inUse = socketsOnHost);
  // The block derived from a name (e.g. the sandbox's state dir): stable per name.
  static AddressAllocator forInstance(const std::string& name, InUse inUse = socketsOnHost);

  // An address for `owner` (the pod's uid). The same owner asking again gets the same
  // address until it releases it. Fails when all 253 addresses are taken.
  Result<std::string> allocate(const std::string& owner);
  void release(const std::string& owner);
  std::optional<std::string> addressOf(const std::string& owner) const;

  std::string block() const;  // "127.A.B.0/24"

  // Reads /proc/net/{tcp,udp}{,6} for local addresses in use (also IPv4-mapped ones).
  static bool socketsOnHost(const std::string& ip);

 private:
  std::string address(int host) const;

  mutable std::mutex mutex_;
  int octet2_;
  int octet3_;
  InUse inUse_;
  int next_ = 1;                        // the host part tried next (1..254)
  std::map<std::string, int> byOwner_;  // owner -> host part
};

}  // namespace zkop::sandbox::kubelet
