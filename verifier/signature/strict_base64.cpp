#include "verifier/signature/strict_base64.h"

#include <array>
#include <cstdint>

namespace verified::signature {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr uint8_t kInvalid = 255;

constexpr std::array<uint8_t, 256> MakeTable() {
  std::array<uint8_t, 256> t{};
  for (auto& v : t) v = kInvalid;
  for (uint8_t i = 0; i < 64; ++i) t[static_cast<uint8_t>(kAlphabet[i])] = i;
  return t;
}
constexpr auto kTable = MakeTable();

}  // namespace

Result<std::string> DecodeBase64Strict(std::string_view text, std::string_view what,
                                       size_t max_chars) {
  if (text.size() > max_chars) {
    return MakeError(ErrorKind::kTooLarge, "{}: base64 text of {} characters exceeds {}", what,
                     text.size(), max_chars);
  }
  if (text.empty()) return MakeError(ErrorKind::kParse, "{}: empty base64 text", what);
  if (text.size() % 4 != 0) {
    return MakeError(ErrorKind::kParse, "{}: base64 text of {} characters is not a multiple of 4",
                     what, text.size());
  }
  size_t pad = 0;
  if (text.back() == '=') pad = text[text.size() - 2] == '=' ? 2 : 1;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  uint32_t acc = 0;
  for (size_t i = 0; i < text.size() - pad; ++i) {
    uint8_t v = kTable[static_cast<uint8_t>(text[i])];
    if (v == kInvalid) {
      return MakeError(ErrorKind::kParse, "{}: invalid base64 character at offset {}", what, i);
    }
    acc = (acc << 6) | v;
    if (i % 4 == 3) {
      out += static_cast<char>(acc >> 16);
      out += static_cast<char>(acc >> 8);
      out += static_cast<char>(acc);
      acc = 0;
    }
  }
  // The last quantum: 2 characters carry 12 bits for 1 byte (4 unused), 3 carry 18 bits for 2
  // bytes (2 unused). Non-zero unused bits would give a second spelling of the same bytes.
  if (pad == 2) {
    if ((acc & 0xf) != 0) {
      return MakeError(ErrorKind::kParse, "{}: non-canonical base64 (unused bits before '==')",
                       what);
    }
    out += static_cast<char>(acc >> 4);
  } else if (pad == 1) {
    if ((acc & 0x3) != 0) {
      return MakeError(ErrorKind::kParse, "{}: non-canonical base64 (unused bits before '=')",
                       what);
    }
    out += static_cast<char>(acc >> 10);
    out += static_cast<char>(acc >> 2);
  }
  return out;
}

std::string EncodeBase64(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  const auto* s = reinterpret_cast<const uint8_t*>(bytes.data());
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t v = (uint32_t{s[i]} << 16) | (uint32_t{s[i + 1]} << 8) | s[i + 2];
    for (int shift : {18, 12, 6, 0}) out += kAlphabet[(v >> shift) & 63];
  }
  size_t rest = bytes.size() - i;
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

}  // namespace verified::signature
