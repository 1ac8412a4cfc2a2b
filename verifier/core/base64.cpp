#include "verifier/core/base64.h"

#include <array>
#include <cstdint>

namespace verified {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// 0..63 for alphabet characters, 64 for '=', 255 for anything else.
constexpr std::array<uint8_t, 256> MakeTable() {
  std::array<uint8_t, 256> t{};
  for (auto& v : t) v = 255;
  for (uint8_t i = 0; i < 64; ++i) t[static_cast<uint8_t>(kAlphabet[i])] = i;
  t['='] = 64;
  return t;
}
constexpr auto kTable = MakeTable();

}  // namespace

Status Base64DecodeAppend(std::string_view in, std::string& out) {
  if (in.size() % 4 != 0) {
    return MakeError(ErrorKind::kParse, "base64 text of {} characters is not a multiple of 4",
                     in.size());
  }
  size_t start = out.size();
  out.resize(start + in.size() / 4 * 3);
  auto* dst = reinterpret_cast<uint8_t*>(out.data() + start);
  const auto* src = reinterpret_cast<const uint8_t*>(in.data());
  size_t n = in.size();
  size_t written = 0;
  // Segments are mostly zero-filled tar blocks; a table lookup per character keeps this at a
  // small fraction of the SHA-256 cost of the same bytes.
  for (size_t i = 0; i < n; i += 4) {
    uint8_t a = kTable[src[i]], b = kTable[src[i + 1]], c = kTable[src[i + 2]],
            d = kTable[src[i + 3]];
    if ((a | b | c | d) < 64) {
      uint32_t v = (uint32_t{a} << 18) | (uint32_t{b} << 12) | (uint32_t{c} << 6) | d;
      dst[written++] = static_cast<uint8_t>(v >> 16);
      dst[written++] = static_cast<uint8_t>(v >> 8);
      dst[written++] = static_cast<uint8_t>(v);
      continue;
    }
    // Only the last quantum may carry padding: "xx==" or "xxx=".
    bool last = i + 4 == n;
    if (!last || a >= 64 || b >= 64 || c == 255 || d == 255 || (c == 64 && d != 64)) {
      return MakeError(ErrorKind::kParse, "invalid base64 near character {}", i);
    }
    uint32_t v = (uint32_t{a} << 18) | (uint32_t{b} << 12);
    dst[written++] = static_cast<uint8_t>(v >> 16);
    if (c != 64) {
      v |= uint32_t{c} << 6;
      dst[written++] = static_cast<uint8_t>(v >> 8);
    }
  }
  out.resize(start + written);
  return Ok();
}

Result<std::string> Base64DecodeStrict(std::string_view text, std::string_view what,
                                       size_t max_chars) {
  if (text.size() > max_chars) {
    return MakeError(ErrorKind::kTooLarge, "{}: base64 text of {} characters exceeds {}", what,
                     text.size(), max_chars);
  }
  if (text.empty()) return MakeError(ErrorKind::kParse, "{}: empty base64 text", what);
  std::string out;
  if (auto st = Base64DecodeAppend(text, out); !st.ok())
    return Wrap(std::move(st).error(), "{}", what);
  // The last quantum: "xx==" carries 12 bits for 1 byte (4 unused), "xxx=" 18 bits for 2 bytes
  // (2 unused). Non-zero unused bits would give a second spelling of the same bytes.
  size_t n = text.size();
  if (text[n - 1] == '=') {
    bool two = text[n - 2] == '=';
    uint8_t last = kTable[static_cast<uint8_t>(text[n - (two ? 3 : 2)])];
    if ((last & (two ? 0xf : 0x3)) != 0) {
      return MakeError(ErrorKind::kParse, "{}: non-canonical base64 (unused bits before '{}')",
                       what, two ? "==" : "=");
    }
  }
  return out;
}

std::string Base64Encode(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  const auto* s = reinterpret_cast<const uint8_t*>(in.data());
  size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    uint32_t v = (uint32_t{s[i]} << 16) | (uint32_t{s[i + 1]} << 8) | s[i + 2];
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  size_t rest = in.size() - i;
  if (rest > 0) {
    uint32_t v = uint32_t{s[i]} << 16;
    if (rest == 2) v |= uint32_t{s[i + 1]} << 8;
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

}  // namespace verified
