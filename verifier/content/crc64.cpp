#include "verifier/content/crc64.h"

#include <array>

namespace verified::content {
namespace {

// Reflected ISO polynomial x^64 + x^4 + x^3 + x + 1 (Go: crc64.ISO = 0xD800000000000000).
constexpr std::array<uint64_t, 256> MakeTable() {
  std::array<uint64_t, 256> t{};
  for (uint64_t i = 0; i < 256; ++i) {
    uint64_t crc = i;
    for (int j = 0; j < 8; ++j) crc = (crc & 1) ? (crc >> 1) ^ 0xD800000000000000ull : crc >> 1;
    t[i] = crc;
  }
  return t;
}
constexpr auto kTable = MakeTable();

}  // namespace

void Crc64::Update(const void* data, size_t len) {
  // Go's crc64.update: invert, table-driven per byte, invert again.
  uint64_t crc = ~crc_;
  const auto* p = static_cast<const uint8_t*>(data);
  for (size_t i = 0; i < len; ++i) crc = kTable[static_cast<uint8_t>(crc) ^ p[i]] ^ (crc >> 8);
  crc_ = ~crc;
}

std::string Crc64::Sum() const {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>(crc_ >> (56 - 8 * i));
  return out;
}

}  // namespace verified::content
