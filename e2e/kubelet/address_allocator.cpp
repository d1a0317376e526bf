#include "e2e/kubelet/address_allocator.h"

#include <arpa/inet.h>

#include <fstream>
#include <set>
#include <sstream>

namespace zkop::sandbox::kubelet {

AddressAllocator::AddressAllocator(int octet2, int octet3, InUse inUse)
    : octet2_(octet2), octet3_(octet3), inUse_(std::move(inUse)) {}

AddressAllocator AddressAllocator::forInstance(const std::string& name, InUse inUse) {
  // FNV-1a: std::hash is not specified to be stable across builds, and the block of a
  // named instance should be (it appears in logs and docs of a run).
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : name) h = (h ^ c) * 1099511628211ULL;
  const int octet2 = 2 + static_cast<int>(h % 252);  // 2..253
  const int octet3 = static_cast<int>((h / 252) % 256);
  return AddressAllocator(octet2, octet3, std::move(inUse));
}

std::string AddressAllocator::address(int host) const {
  return "127." + std::to_string(octet2_) + "." + std::to_string(octet3_) + "." +
         std::to_string(host);
}

std::string AddressAllocator::block() const { return address(0) + "/24"; }

Result<std::string> AddressAllocator::allocate(const std::string& owner) {
  std::lock_guard lock(mutex_);
  if (auto it = byOwner_.find(owner); it != byOwner_.end()) return address(it->second);
  std::set<int> taken;
  for (const auto& [o, host] : byOwner_) taken.insert(host);
  for (int tries = 0; tries < 254; ++tries) {
    const int host = next_;
    next_ = next_ % 254 + 1;
    if (taken.contains(host)) continue;
    const auto ip = address(host);
    if (inUse_ && inUse_(ip)) continue;
    byOwner_[owner] = host;
    return ip;
  }
  return specError("allocate pod IP for " + owner, "all addresses of " + block() + " are in use");
}

void AddressAllocator::release(const std::string& owner) {
  std::lock_guard lock(mutex_);
  byOwner_.erase(owner);
}

std::optional<std::string> AddressAllocator::addressOf(const std::string& owner) const {
  std::lock_guard lock(mutex_);
  auto it = byOwner_.find(owner);
  if (it == byOwner_.end()) return std::nullopt;
  return address(it->second);
}

bool AddressAllocator::socketsOnHost(const std::string& ip) {
  in_addr addr{};
  if (inet_pton(AF_INET, ip.c_str(), &addr) != 1) return false;
  // /proc/net/tcp prints the address as the hex of the 32-bit value in host byte order.
  char hex[9];
  std::snprintf(hex, sizeof hex, "%08X", addr.s_addr);
  // IPv4 tables list the address as is; IPv6 tables list a dual-stack socket (a JVM's)
  // bound to it as ::ffff:a.b.c.d, the four 32-bit words each in host byte order.
  const std::string v4(hex);
  const std::string mapped = "0000000000000000FFFF0000" + v4;
  for (const auto& [table, wanted] :
       {std::pair{"/proc/net/tcp", &v4}, std::pair{"/proc/net/udp", &v4},
        std::pair{"/proc/net/tcp6", &mapped}, std::pair{"/proc/net/udp6", &mapped}}) {
    std::ifstream in(table);
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string slot, local;
      fields >> slot >> local;
      if (local.compare(0, wanted->size(), *wanted) == 0 && local.size() > wanted->size() &&
          local[wanted->size()] == ':') {
        return true;
      }
    }
  }
  return false;
}

}  // namespace zkop::sandbox::kubelet
