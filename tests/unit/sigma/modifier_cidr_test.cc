// `cidr` (M = sigma-appendix-modifiers.md line 111: IPv4 and IPv6 notations).
#include <gtest/gtest.h>

#include "sigma/field_test_ip.h"
#include "field_test_util.h"

namespace inari::sigma::testing {
namespace {

TEST(ModifierCidr, Ipv4Ranges_M111) {
  auto t = Compile("DestinationIp|cidr", {S("10.0.0.0/8"), S("192.168.0.0/16")});
  EXPECT_TRUE(MatchStr(t, "DestinationIp", "10.1.2.3"));
  EXPECT_TRUE(MatchStr(t, "DestinationIp", "10.255.255.255"));
  EXPECT_TRUE(MatchStr(t, "DestinationIp", "192.168.10.1"));
  EXPECT_FALSE(MatchStr(t, "DestinationIp", "11.0.0.1"));
  EXPECT_FALSE(MatchStr(t, "DestinationIp", "192.169.0.1"));
  EXPECT_FALSE(MatchStr(t, "DestinationIp", "9.255.255.255"));
}

TEST(ModifierCidr, Ipv4EdgeMasks_M111) {
  auto all = Compile("Ip|cidr", {S("0.0.0.0/0")});
  auto host = Compile("Ip|cidr", {S("172.16.5.4/32")});
  auto bare = Compile("Ip|cidr", {S("172.16.5.4")});
  auto odd = Compile("Ip|cidr", {S("172.16.0.0/12")});  // 172.16.0.0 - 172.31.255.255
  auto bits = Compile("Ip|cidr", {S("100.64.0.0/10")});
  EXPECT_TRUE(MatchStr(all, "Ip", "255.255.255.255"));
  EXPECT_TRUE(MatchStr(all, "Ip", "0.0.0.0"));
  EXPECT_FALSE(MatchStr(all, "Ip", "2001:db8::1"));  // an IPv4 range holds no IPv6 address
  EXPECT_TRUE(MatchStr(host, "Ip", "172.16.5.4"));
  EXPECT_FALSE(MatchStr(host, "Ip", "172.16.5.5"));
  EXPECT_TRUE(MatchStr(bare, "Ip", "172.16.5.4"));
  EXPECT_FALSE(MatchStr(bare, "Ip", "172.16.5.40"));
  EXPECT_TRUE(MatchStr(odd, "Ip", "172.31.255.255"));
  EXPECT_TRUE(MatchStr(odd, "Ip", "172.16.0.0"));
  EXPECT_FALSE(MatchStr(odd, "Ip", "172.32.0.0"));
  EXPECT_FALSE(MatchStr(odd, "Ip", "172.15.255.255"));
  EXPECT_TRUE(MatchStr(bits, "Ip", "100.127.255.255"));
  EXPECT_FALSE(MatchStr(bits, "Ip", "100.128.0.0"));
}

TEST(ModifierCidr, Ipv6RangesAndEdges_M111) {
  auto t = Compile("Ip|cidr", {S("2001:db8::/32")});
  auto ll = Compile("Ip|cidr", {S("fe80::/10")});
  auto host = Compile("Ip|cidr", {S("::1/128")});
  auto all = Compile("Ip|cidr", {S("::/0")});
  auto odd = Compile("Ip|cidr", {S("2001:db8:abcd:12::/63")});
  EXPECT_TRUE(MatchStr(t, "Ip", "2001:db8::1"));
  EXPECT_TRUE(MatchStr(t, "Ip", "2001:0DB8:ffff:ffff:ffff:ffff:ffff:ffff"));
  EXPECT_FALSE(MatchStr(t, "Ip", "2001:db9::1"));
  EXPECT_FALSE(MatchStr(t, "Ip", "10.0.0.1"));
  EXPECT_FALSE(MatchStr(t, "Ip", "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff"));  // just below
  EXPECT_TRUE(MatchStr(ll, "Ip", "fe80::1%11"));  // zone index ignored
  EXPECT_TRUE(MatchStr(ll, "Ip", "febf:ffff::1"));
  EXPECT_FALSE(MatchStr(ll, "Ip", "fec0::1"));
  EXPECT_TRUE(MatchStr(host, "Ip", "::1"));
  EXPECT_TRUE(MatchStr(host, "Ip", "0:0:0:0:0:0:0:1"));
  EXPECT_FALSE(MatchStr(host, "Ip", "::2"));
  EXPECT_FALSE(MatchStr(host, "Ip", "::1:0"));
  EXPECT_TRUE(MatchStr(all, "Ip", "ffff::"));
  EXPECT_FALSE(MatchStr(all, "Ip", "127.0.0.1"));
  EXPECT_TRUE(MatchStr(odd, "Ip", "2001:db8:abcd:13:ffff::"));
  EXPECT_FALSE(MatchStr(odd, "Ip", "2001:db8:abcd:14::"));
}

TEST(ModifierCidr, Ipv4MappedIpv6AndBrackets_M111) {
  auto t = Compile("Ip|cidr", {S("10.0.0.0/8")});
  EXPECT_TRUE(MatchStr(t, "Ip", "::ffff:10.1.2.3"));
  EXPECT_TRUE(MatchStr(t, "Ip", "::FFFF:a01:203"));
  EXPECT_FALSE(MatchStr(t, "Ip", "::ffff:11.1.2.3"));
  EXPECT_FALSE(MatchStr(t, "Ip", "::10.1.2.3"));  // IPv4-compatible, not mapped
  auto v6 = Compile("Ip|cidr", {S("2001:db8::/32")});
  EXPECT_TRUE(MatchStr(v6, "Ip", "[2001:db8::5]"));
  EXPECT_FALSE(MatchStr(v6, "Ip", "[2001:db9::5]"));
}

TEST(ModifierCidr, NonAddressesNeverMatch_M111) {
  auto t = Compile("Ip|cidr", {S("0.0.0.0/0"), S("::/0")});
  for (auto bad : {"", "-", "localhost", "10.0.0", "10.0.0.256", "10.0.0.1 ", "1.2.3.4.5", "0001.2.3.4",
                   "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", ":1", "1:", "10.0.0.1/8", "::ffff:1.2.3"}) {
    EXPECT_FALSE(MatchStr(t, "Ip", bad)) << bad;
  }
  EXPECT_TRUE(MatchStr(t, "Ip", "1.2.3.4"));
  EXPECT_TRUE(MatchStr(t, "Ip", "1::"));
  EXPECT_TRUE(MatchStr(t, "Ip", "1:2:3:4:5:6:1.2.3.4"));
  EXPECT_TRUE(MatchStr(t, "Ip", "::"));
}

TEST(ModifierCidr, InvalidRangesAreCompileErrors_M111) {
  for (auto bad : {"10.0.0.0/33", "10.0.0.0/", "10.0.0/8", "2001:db8::/129", "10.0.0.0/-1", "10.0.0.0/8x",
                   "not-an-ip", "fe80::/10%1", "10.0.0.0/08 "}) {
    EXPECT_NE(CompileError("Ip|cidr", {S(bad)}), "") << bad;
  }
  EXPECT_NE(CompileError("Ip|cidr", {I(10)}), "");
  EXPECT_EQ(CompileError("Ip|cidr", {S("10.1.2.3/8")}), "");  // host bits are cleared
  auto t = Compile("Ip|cidr", {S("10.1.2.3/8")});
  EXPECT_TRUE(MatchStr(t, "Ip", "10.200.0.1"));
  EXPECT_FALSE(MatchStr(t, "Ip", "11.1.2.3"));
}

TEST(ModifierCidr, CombinationsAndNeq_M111_M44) {
  EXPECT_NE(CompileError("Ip|cidr|contains", {S("10.0.0.0/8")}), "");
  EXPECT_NE(CompileError("Ip|base64|cidr", {S("10.0.0.0/8")}), "");
  EXPECT_NE(CompileError("Ip|cidr|cased", {S("10.0.0.0/8")}), "");
  auto neq = Compile("Ip|cidr|neq", {S("10.0.0.0/8"), S("192.168.0.0/16")});
  EXPECT_TRUE(MatchStr(neq, "Ip", "8.8.8.8"));
  EXPECT_FALSE(MatchStr(neq, "Ip", "10.0.0.1"));
  EXPECT_FALSE(MatchStr(neq, "Other", "8.8.8.8"));
}

}  // namespace
}  // namespace inari::sigma::testing
