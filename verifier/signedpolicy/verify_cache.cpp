#include "verifier/signedpolicy/verify_cache.h"

#include <array>

#include "verifier/config/state_dir.h"
#include "verifier/fs/atomic_file.h"
#include "verifier/fs/trusted_file.h"
#include "verifier/image/digest.h"

namespace verified::signedpolicy {
namespace {

constexpr std::string_view kVersion = "v1";

}  // namespace

std::string VerifyCachePath(const std::string& state_dir) {
  return state_dir + "/" + kVerifyCacheFileName;
}

Result<VerifiedSignature> ParseVerifyCache(std::string_view text) {
  if (text.size() > kMaxVerifyCacheBytes) {
    return MakeError(ErrorKind::kTooLarge, "policy verification cache of {} bytes exceeds {}",
                     text.size(), kMaxVerifyCacheBytes);
  }
  if (text.empty() || text.back() != '\n') {
    return MakeError(ErrorKind::kParse, "policy verification cache: no trailing newline");
  }
  text.remove_suffix(1);
  std::array<std::string_view, 4> fields;
  for (size_t i = 0; i < fields.size(); ++i) {
    size_t sp = text.find(' ');
    bool last = i + 1 == fields.size();
    if (last != (sp == std::string_view::npos)) {
      return MakeError(ErrorKind::kParse, "policy verification cache: want 4 fields");
    }
    fields[i] = text.substr(0, sp);
    text = last ? std::string_view() : text.substr(sp + 1);
  }
  if (fields[0] != kVersion) {
    return MakeError(ErrorKind::kParse, "policy verification cache: unknown version");
  }
  for (size_t i = 1; i < fields.size(); ++i) {
    if (!IsSha256Digest(fields[i])) {
      return MakeError(ErrorKind::kParse, "policy verification cache: want \"sha256:<64 hex>\"");
    }
  }
  return VerifiedSignature{std::string(fields[1]), std::string(fields[2]), std::string(fields[3])};
}

std::string SerializeVerifyCache(const VerifiedSignature& v) {
  return std::string(kVersion) + " " + v.statement + " " + v.signature + " " + v.key + "\n";
}

Result<VerifiedSignature> ReadVerifyCache(const std::string& state_dir) {
  VERIFIED_RETURN_IF_ERROR(CheckTrustedPath(state_dir));
  VERIFIED_ASSIGN_OR_RETURN(std::string text,
                            ReadTrustedFile(VerifyCachePath(state_dir), kMaxVerifyCacheBytes));
  return ParseVerifyCache(text);
}

Status WriteVerifyCache(const std::string& state_dir, const std::string& config_dir,
                        const VerifiedSignature& v, DeferredWrites* defer) {
  if (defer != nullptr) {
    return WritePrivateOrDefer(defer, VerifyCachePath(state_dir), SerializeVerifyCache(v));
  }
  VERIFIED_RETURN_IF_ERROR(EnsureStateDir(state_dir, config_dir));
  // Atomic: a concurrent create reads the old record or the new one, never a mix (and a torn
  // record would be a parse error, i.e. a miss).
  return WriteFileAtomic(VerifyCachePath(state_dir), SerializeVerifyCache(v), 0600);
}

}  // namespace verified::signedpolicy
