// IP addresses and CIDR ranges for the Sigma `cidr` modifier
// (sigma-appendix-modifiers.md line 111: IPv4 and IPv6 notations).
//
// Addresses are kept as 16 bytes: IPv4 as the IPv4-mapped IPv6 address
// ::ffff:a.b.c.d, so an IPv4 range also contains the mapped form an event may
// carry ("::ffff:10.1.2.3"). Parsing never allocates.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace inari::sigma {

struct IpAddress {
  std::array<uint8_t, 16> bytes{};
  bool dotted_v4 = false;  // written as plain dotted IPv4 ("10.1.2.3")
};

// Parses "10.1.2.3", "fe80::1", "::ffff:10.1.2.3", "[2001:db8::1]" and
// "fe80::1%eth0" (zone ignored). IPv4 needs four decimal parts 0-255 of at
// most three digits. False if `text` is no address.
bool ParseIpAddress(std::string_view text, IpAddress* out);

struct CidrRange {
  std::array<uint8_t, 16> base{};  // masked
  int prefix = 0;                  // over the 128-bit form (IPv4 /n is 96 + n)
  bool v4 = false;                 // written as an IPv4 range
  // An IPv4 range holds dotted IPv4 addresses and their IPv4-mapped IPv6
  // form; an IPv6 range holds IPv6 addresses only (as Python's ipaddress).
  bool Contains(const IpAddress& a) const;
};

// "10.0.0.0/8", "2001:db8::/32", or a bare address (/32, /128). Host bits
// set below the prefix are cleared ("10.1.2.3/8" is 10.0.0.0/8). False if
// invalid (bad address, prefix out of range or not decimal).
bool ParseCidr(std::string_view text, CidrRange* out);

}  // namespace inari::sigma
