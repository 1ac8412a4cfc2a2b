#include "verifier/store/manifest_files.h"

#include "verifier/crypto/sha256.h"
#include "verifier/fs/dir.h"
#include "verifier/image/digest.h"

namespace verified {

Result<std::string> ReadManifestFile(const ManifestFile& file) {
  if (!IsSha256Digest(file.digest)) {
    return MakeError(ErrorKind::kParse, "{}: recorded digest '{}' is not sha256:<64 hex>",
                     file.path, file.digest);
  }
  // ReadFileLimited opens with O_NOFOLLOW and refuses anything but a regular file: the engine
  // writes these files itself, so a symlink is not its doing.
  VERIFIED_ASSIGN_OR_RETURN(std::string bytes, ReadFileLimited(file.path, kMaxManifestFileBytes));
  std::string actual = Sha256Digest(bytes);
  if (actual != file.digest) {
    return MakeError(ErrorKind::kIntegrity, "{}: the engine records it as {} but it hashes to {}",
                     file.path, file.digest, actual);
  }
  return bytes;
}

}  // namespace verified
