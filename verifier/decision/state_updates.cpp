#include "verifier/decision/state_updates.h"

#include "verifier/config/state_dir.h"
#include "verifier/content/content_cache.h"
#include "verifier/fs/atomic_file.h"
#include "verifier/signature/verification_cache.h"
#include "verifier/signedpolicy/policy_mark.h"
#include "verifier/signedpolicy/statement_cache.h"
#include "verifier/signedpolicy/verify_cache.h"

namespace verified {
namespace {

// "<prefix>/<64 lowercase hex>" -> true. The names the content cache gives its files.
bool IsCacheFileUnder(const std::string& path, const std::string& prefix) {
  if (path.size() != prefix.size() + 1 + 64 || path.compare(0, prefix.size(), prefix) != 0 ||
      path[prefix.size()] != '/') {
    return false;
  }
  std::string_view name(path.data() + prefix.size() + 1, 64);
  for (char c : name) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

Status ApplyDeferredWrite(const DeferredWrite& w, const std::string& config_dir,
                          const std::string& state_dir_in) {
  const std::string state_dir = state_dir_in.empty() ? kDefaultStateDir : state_dir_in;
  if (w.path == signedpolicy::MarkPath(state_dir)) {
    VERIFIED_ASSIGN_OR_RETURN(signedpolicy::PolicyMark mark, signedpolicy::ParseMark(w.content));
    auto raised = signedpolicy::RaiseMark(state_dir, config_dir, mark);
    if (!raised.ok()) return std::move(raised).error();
    return Ok();
  }
  for (const char* name :
       {signedpolicy::kVerifyCacheFileName, signedpolicy::kStatementCacheFileName,
        signature::kVerificationCacheFile}) {
    if (w.path == state_dir + "/" + name) {
      VERIFIED_RETURN_IF_ERROR(EnsureStateDir(state_dir, config_dir));
      return WriteFileAtomic(w.path, w.content, 0600);
    }
  }
  content::ContentCache cache(config_dir);
  if (IsCacheFileUnder(w.path, cache.dir() + "/manifests") ||
      IsCacheFileUnder(w.path, cache.dir() + "/fingerprints")) {
    VERIFIED_RETURN_IF_ERROR(cache.EnsureDirs());
    return WriteFileAtomic(w.path, w.content, 0600);
  }
  return MakeError(ErrorKind::kPermission, "not a file a create decision writes: {}", w.path);
}

}  // namespace verified
