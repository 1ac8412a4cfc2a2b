#include "verifier/signature/key_der.h"

#include <fmt/format.h>

#include "verifier/core/base64.h"
#include "verifier/crypto/sha256.h"
#include "verifier/signature/public_key.h"

namespace verified::signature {
namespace {

constexpr std::string_view kBegin = "-----BEGIN PUBLIC KEY-----";
constexpr std::string_view kEnd = "-----END PUBLIC KEY-----";

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// The DER inside the single PEM block that `text` (already trimmed) must be.
Result<std::string> PemBody(std::string_view text, std::string_view name) {
  if (text.substr(0, kBegin.size()) != kBegin) {
    if (text.substr(0, 11) == "-----BEGIN ") {
      auto eol = text.find('\n');
      return MakeError(ErrorKind::kParse, "key {}: PEM block '{}' is not a 'PUBLIC KEY'", name,
                       Trim(text.substr(0, eol)));
    }
    return MakeError(ErrorKind::kParse,
                     "key {}: not a PEM 'PUBLIC KEY' block (the file must hold only the block)",
                     name);
  }
  auto end = text.find(kEnd);
  if (end == std::string_view::npos) {
    return MakeError(ErrorKind::kParse, "key {}: PEM block has no '{}' line", name, kEnd);
  }
  if (text.find("-----BEGIN", kBegin.size()) != std::string_view::npos) {
    return MakeError(ErrorKind::kParse, "key {}: more than one PEM block", name);
  }
  if (end + kEnd.size() != text.size()) {
    return MakeError(ErrorKind::kParse, "key {}: bytes after the PEM block", name);
  }
  // Line breaks separate the base64 lines; anything else (PEM headers, spaces) is refused by
  // the strict decoder.
  std::string b64;
  for (char c : text.substr(kBegin.size(), end - kBegin.size())) {
    if (c != '\n' && c != '\r') b64 += c;
  }
  return Base64DecodeStrict(b64, fmt::format("key {}: PEM body", name), kMaxPublicKeyFileBytes);
}

}  // namespace

Result<std::string> KeyFileDer(std::string_view text, std::string_view name) {
  if (text.size() > kMaxPublicKeyFileBytes) {
    return MakeError(ErrorKind::kTooLarge, "key {}: {} bytes exceeds the {} byte limit", name,
                     text.size(), kMaxPublicKeyFileBytes);
  }
  if (!text.empty() && text.front() == 0x30) return std::string(text);
  return PemBody(Trim(text), name);
}

Result<std::string> KeyFileFingerprint(std::string_view text, std::string_view name) {
  VERIFIED_ASSIGN_OR_RETURN(std::string der, KeyFileDer(text, name));
  return Sha256Hex(der);
}

}  // namespace verified::signature
