#include "verifier/image/digest.h"

#include "verifier/crypto/sha256.h"

namespace verified {

bool IsHex64(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool IsSha256Digest(std::string_view s) {
  return s.size() == 71 && s.substr(0, 7) == "sha256:" && IsHex64(s.substr(7));
}

Result<std::string> ParseDigest(std::string_view s, std::string_view what) {
  if (!IsSha256Digest(s)) {
    return MakeError(ErrorKind::kParse, "{}: '{}' is not a sha256 digest", what, s.substr(0, 80));
  }
  return std::string(s);
}

std::vector<std::string> ChainIds(const std::vector<std::string>& diff_ids) {
  std::vector<std::string> chain;
  chain.reserve(diff_ids.size());
  for (const auto& diff : diff_ids) {
    if (chain.empty()) {
      chain.push_back(diff);
    } else {
      chain.push_back(Sha256Digest(chain.back() + " " + diff));
    }
  }
  return chain;
}

}  // namespace verified
