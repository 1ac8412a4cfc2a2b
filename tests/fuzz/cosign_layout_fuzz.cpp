// Fuzz target: `cosign save` OCI layouts (verifier/signature/cosign_layout.h). Input: files as
// NAME '\0' CONTENT '\0' ...; a file named "blob" is stored as blobs/sha256/<its sha256>, so
// the fuzzer reaches the manifests and layers behind index.json.
#include <cstdint>
#include <map>
#include <string>

#include "verifier/crypto/sha256.h"
#include "verifier/image/digest.h"
#include "verifier/signature/cosign_layout.h"

namespace {

class MemFiles : public verified::signature::LayoutFiles {
 public:
  std::map<std::string, std::string> files;
  verified::Result<std::string> Read(std::string_view rel, size_t limit) const override {
    auto it = files.find(std::string(rel));
    if (it == files.end()) return verified::MakeError(verified::ErrorKind::kNotFound, "absent");
    if (it->second.size() > limit)
      return verified::MakeError(verified::ErrorKind::kTooLarge, "big");
    return it->second;
  }
  verified::Result<std::vector<std::pair<std::string, uint64_t>>> ListBlobs(
      size_t max) const override {
    std::vector<std::pair<std::string, uint64_t>> out;
    for (const auto& [name, content] : files) {
      if (name.rfind("blobs/sha256/", 0) != 0) continue;
      if (out.size() == max) return verified::MakeError(verified::ErrorKind::kTooLarge, "many");
      out.emplace_back(name.substr(13), content.size());
    }
    return out;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace verified::signature;
  std::string in(reinterpret_cast<const char*>(data), size);
  MemFiles m;
  size_t pos = 0;
  while (pos < in.size()) {
    size_t a = in.find('\0', pos);
    if (a == std::string::npos) break;
    size_t b = in.find('\0', a + 1);
    std::string name = in.substr(pos, a - pos);
    std::string content = in.substr(a + 1, b == std::string::npos ? std::string::npos : b - a - 1);
    if (name == "blob") name = "blobs/sha256/" + verified::Sha256Hex(content);
    m.files[name] = content;
    if (b == std::string::npos) break;
    pos = b + 1;
  }
  auto l = ParseCosignLayout(m, "fuzz");
  if (!l.ok()) return 0;
  if (verified::Sha256Digest(l->image_bytes) != l->image_digest) __builtin_trap();
  if (l->records.empty() || l->records.size() > kMaxLayoutEntries) __builtin_trap();
  for (const auto& r : l->records) {
    bool simple = r.format == SignatureFormat::kSimpleSigning;
    if (simple && (r.signature_base64.empty() || !r.bundle.empty())) __builtin_trap();
    if (!simple && !r.payload.empty()) __builtin_trap();
  }
  return 0;
}
