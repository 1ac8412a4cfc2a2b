#include "verifier/store/containerd/content_store.h"

#include "verifier/image/digest.h"
#include "verifier/image/image_config.h"
#include "verifier/store/containerd/limits.h"

namespace verified::containerd {

Result<ContentStore> ContentStore::Open(const Dir& containerd_root) {
  VERIFIED_ASSIGN_OR_WRAP(Dir blobs, containerd_root.OpenDir(kBlobsDir), "content store");
  return ContentStore(std::move(blobs));
}

Result<std::string> ContentStore::Read(const std::string& digest, size_t limit,
                                       int64_t expected_size) const {
  if (!IsSha256Digest(digest)) {
    return MakeError(ErrorKind::kParse, "'{}' is not a sha256 digest", digest);
  }
  VERIFIED_ASSIGN_OR_WRAP(std::string bytes, blobs_.ReadFile(DigestHex(digest), limit),
                          "content blob {}", digest);
  if (expected_size >= 0 && bytes.size() != static_cast<uint64_t>(expected_size)) {
    return MakeError(ErrorKind::kIntegrity, "content blob {} has {} bytes, its descriptor says {}",
                     digest, bytes.size(), expected_size);
  }
  VERIFIED_RETURN_IF_ERROR(CheckDigest(bytes, digest, "content blob " + digest));
  return bytes;
}

}  // namespace verified::containerd
