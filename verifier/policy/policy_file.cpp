#include "verifier/policy/policy_file.h"

#include <sys/stat.h>

#include <cerrno>

#include "verifier/config/config_dir.h"
#include "verifier/fs/trusted_file.h"
#include "verifier/policy/policy_keys.h"

namespace verified {

Result<Policy> LoadPolicy(const std::string& config_dir) {
  std::string path = PolicyPath(config_dir);
  struct stat st;
  if (stat(path.c_str(), &st) != 0 && errno == ENOENT) {
    return MakeError(ErrorKind::kNotFound,
                     "policy {} is missing; create one with: verifiedctl --config-dir {} policy "
                     "default deny",
                     path, config_dir);
  }
  VERIFIED_RETURN_IF_ERROR(CheckTrustedPath(config_dir));
  // Checked on the open file, so the file read is the file judged.
  VERIFIED_ASSIGN_OR_RETURN(std::string text, ReadTrustedFile(path, kMaxPolicyBytes));
  auto policy = ParsePolicy(text);
  if (!policy.ok()) return Wrap(std::move(policy).error(), "policy {}", path);
  VERIFIED_RETURN_IF_ERROR_WRAP(CheckPolicyKeys(*policy, config_dir), "policy {}", path);
  return policy;
}

}  // namespace verified
