#include "e2e/kubelet/address_allocator.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <set>

namespace zkop::sandbox::kubelet {
namespace {

AddressAllocator::InUse nothingInUse() {
  return [](const std::string&) { return false; };
}

TEST(AddressAllocator, GivesEachOwnerItsOwnAddressInTheBlock) {
  AddressAllocator a(20, 30, nothingInUse());
  EXPECT_EQ(a.block(), "127.20.30.0/24");
  auto x = a.allocate("pod-x");
  auto y = a.allocate("pod-y");
  ASSERT_TRUE(x && y);
  EXPECT_EQ(*x, "127.20.30.1");
  EXPECT_EQ(*y, "127.20.30.2");
  EXPECT_EQ(a.allocate("pod-x").value(), *x) << "same owner, same address";
  EXPECT_EQ(a.addressOf("pod-y"), *y);
}

TEST(AddressAllocator, ARecreatedPodGetsANewAddress) {
  AddressAllocator a(20, 30, nothingInUse());
  const auto first = a.allocate("uid-1").value();
  a.release("uid-1");
  EXPECT_FALSE(a.addressOf("uid-1"));
  const auto second = a.allocate("uid-2").value();
  EXPECT_NE(first, second) << "round-robin: a freed address is not handed out at once";
}

TEST(AddressAllocator, SkipsAddressesInUseAndFailsWhenFull) {
  AddressAllocator a(20, 30, [](const std::string& ip) { return ip == "127.20.30.1"; });
  EXPECT_EQ(a.allocate("p").value(), "127.20.30.2");
  std::set<std::string> seen;
  for (int i = 0; i < 252; ++i) {
    auto ip = a.allocate("q" + std::to_string(i));
    ASSERT_TRUE(ip) << i << ": " << ip.error().message();
    EXPECT_TRUE(seen.insert(*ip).second) << *ip << " handed out twice";
  }
  auto full = a.allocate("one-too-many");
  ASSERT_FALSE(full);
  EXPECT_NE(full.error().message().find("127.20.30.0/24"), std::string::npos);
}

TEST(AddressAllocator, InstancesGetStableDistinctBlocks) {
  const auto a = AddressAllocator::forInstance("sandbox-a", nothingInUse());
  const auto b = AddressAllocator::forInstance("sandbox-b", nothingInUse());
  EXPECT_EQ(a.block(), AddressAllocator::forInstance("sandbox-a", nothingInUse()).block());
  EXPECT_NE(a.block(), b.block());
  EXPECT_FALSE(a.block().starts_with("127.0.")) << a.block();
  EXPECT_FALSE(a.block().starts_with("127.1.")) << a.block();
}

TEST(AddressAllocator, SeesSocketsBoundOnTheHost) {
  // Port 0 on a loopback address nobody uses: once bound, /proc/net/tcp lists it.
  const char* ip = "127.251.252.253";
  EXPECT_FALSE(AddressAllocator::socketsOnHost(ip));
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  ::inet_pton(AF_INET, ip, &addr.sin_addr);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(fd, 1), 0);
  EXPECT_TRUE(AddressAllocator::socketsOnHost(ip));
  ::close(fd);
  EXPECT_FALSE(AddressAllocator::socketsOnHost(ip));

  // A dual-stack socket bound to the IPv4-mapped address, as the JVM binds.
  const int fd6 = ::socket(AF_INET6, SOCK_STREAM, 0);
  sockaddr_in6 addr6{};
  addr6.sin6_family = AF_INET6;
  ::inet_pton(AF_INET6, "::ffff:127.251.252.253", &addr6.sin6_addr);
  ASSERT_EQ(::bind(fd6, reinterpret_cast<sockaddr*>(&addr6), sizeof addr6), 0);
  ASSERT_EQ(::listen(fd6, 1), 0);
  EXPECT_TRUE(AddressAllocator::socketsOnHost(ip));
  ::close(fd6);
}

}  // namespace
}  // namespace zkop::sandbox::kubelet
