#include "verifier/signature/engine_signatures.h"

#include <algorithm>

#include "verifier/core/go_json_keys.h"
#include "verifier/image/digest.h"
#include "verifier/image/image_config.h"
#include "verifier/signature/sigstore_json_signature.h"
#include "verifier/store/cstorage/graphroot.h"

namespace verified::signature {
namespace {

constexpr std::string_view kDefaultKey = "signatures";
constexpr std::string_view kEngineWhat = "containers/storage image metadata";

// A "sizes" list as Go decodes []int: an array of non-negative integers (a negative length
// would make GetSignaturesWithFormat slice backwards; it is refused).
Result<std::vector<size_t>> Sizes(const nlohmann::json& j, std::string_view member) {
  if (j.is_null()) return std::vector<size_t>();
  if (!j.is_array())
    return MakeError(ErrorKind::kParse, "{}: {} is not a list", kEngineWhat, member);
  if (j.size() > kMaxEngineSignatures) {
    return MakeError(ErrorKind::kTooLarge, "{}: {} lists {} signatures, more than {}", kEngineWhat,
                     member, j.size(), kMaxEngineSignatures);
  }
  std::vector<size_t> out;
  for (const auto& n : j) {
    if (!n.is_number_unsigned() || n.get<uint64_t>() > kMaxSigstoreJsonFileBytes) {
      return MakeError(ErrorKind::kParse, "{}: {} holds a size that is not an integer from 0 to {}",
                       kEngineWhat, member, kMaxSigstoreJsonFileBytes);
    }
    out.push_back(n.get<size_t>());
  }
  return out;
}

// Go's encoding/json matches struct field names case-insensitively (ParseJsonAsGo has
// already refused two keys that fold alike), so the lookup folds too.
const nlohmann::json* Member(const nlohmann::json& obj, std::string_view name) {
  for (const auto& [k, v] : obj.items()) {
    if (GoFoldKey(k) == GoFoldKey(name)) return &v;
  }
  return nullptr;
}

const cstorage::ImageRecord* FindRecord(const std::vector<cstorage::ImageRecord>& images,
                                        std::string_view id) {
  auto it = std::find_if(images.begin(), images.end(),
                         [&](const cstorage::ImageRecord& r) { return r.id == id; });
  return it == images.end() ? nullptr : &*it;
}

Result<std::vector<SignatureRecord>> ContainersStorageSignatures(const ResolvedImage& image,
                                                                 std::string_view digest) {
  VERIFIED_ASSIGN_OR_RETURN(cstorage::GraphRoot root, cstorage::GraphRoot::Open(image.store_root));
  VERIFIED_ASSIGN_OR_RETURN(std::vector<cstorage::ImageRecord> images, root.Images());
  std::string id(DigestHex(image.image_id));
  const cstorage::ImageRecord* rec = FindRecord(images, id);
  if (rec == nullptr || !cstorage::IsStorageId(id)) {
    return MakeError(ErrorKind::kNotFound, "image {} is no longer in {}/overlay-images/images.json",
                     image.image_id, image.store_root);
  }
  // "signatures" belongs to the default instance: the manifest stored as the "manifest" item
  // (storage_dest.go writes both together; containers/storage keeps the record's "digest" in
  // step with that item), the record's "digest" when an older writer left no digest for it.
  std::string default_digest = rec->digest;
  if (auto m = rec->big_data_digests.find("manifest"); m != rec->big_data_digests.end()) {
    default_digest = m->second;
  }
  VERIFIED_ASSIGN_OR_WRAP(std::vector<EngineSignatureItem> items,
                          EngineSignatureItems(rec->metadata, digest, default_digest), "image {}",
                          id);
  std::vector<SignatureRecord> out;
  for (const auto& item : items) {
    std::string rel = "overlay-images/" + id + "/" + cstorage::BigDataFileName(item.key);
    VERIFIED_ASSIGN_OR_WRAP(std::string blob,
                            root.dir().ReadFile(rel, kMaxEngineSignatureBlobBytes),
                            "image {} signatures {}", id, item.key);
    if (auto d = rec->big_data_digests.find(item.key); d != rec->big_data_digests.end()) {
      VERIFIED_RETURN_IF_ERROR(CheckDigest(blob, d->second, root.path() + "/" + rel));
    }
    VERIFIED_ASSIGN_OR_RETURN(std::vector<SignatureRecord> records,
                              SplitEngineSignatures(blob, item, digest, root.path() + "/" + rel));
    for (auto& r : records) out.push_back(std::move(r));
  }
  return out;
}

}  // namespace

Result<std::vector<EngineSignatureItem>> EngineSignatureItems(std::string_view metadata,
                                                              std::string_view digest,
                                                              std::string_view default_digest) {
  std::vector<EngineSignatureItem> out;
  if (metadata.empty()) return out;
  if (!IsSha256Digest(digest)) {
    return MakeError(ErrorKind::kInvalidArgument, "'{}' is not a sha256 digest",
                     QuoteJsonKey(digest));
  }
  VERIFIED_ASSIGN_OR_RETURN(nlohmann::json doc, ParseJsonAsGo(metadata, kEngineWhat, 8));
  if (!doc.is_object()) return MakeError(ErrorKind::kParse, "{} is not a JSON object", kEngineWhat);
  if (const nlohmann::json* per = Member(doc, "signatures-sizes"); per && !per->is_null()) {
    if (!per->is_object()) {
      return MakeError(ErrorKind::kParse, "{}: signatures-sizes is not an object", kEngineWhat);
    }
    if (auto it = per->find(std::string(digest)); it != per->end()) {
      VERIFIED_ASSIGN_OR_RETURN(std::vector<size_t> sizes, Sizes(*it, "signatures-sizes"));
      std::string key = "signature-" + std::string(DigestHex(digest));
      if (!sizes.empty()) out.push_back(EngineSignatureItem{key, std::move(sizes)});
    }
  }
  if (const nlohmann::json* def = Member(doc, "signature-sizes"); def && digest == default_digest) {
    VERIFIED_ASSIGN_OR_RETURN(std::vector<size_t> sizes, Sizes(*def, "signature-sizes"));
    if (!sizes.empty()) out.push_back(EngineSignatureItem{std::string(kDefaultKey), sizes});
  }
  return out;
}

Result<std::vector<SignatureRecord>> SplitEngineSignatures(std::string_view blob,
                                                           const EngineSignatureItem& item,
                                                           std::string_view digest,
                                                           std::string_view source) {
  std::vector<SignatureRecord> out;
  size_t offset = 0;
  for (size_t i = 0; i < item.sizes.size(); ++i) {
    size_t n = item.sizes[i];
    if (n > blob.size() - offset) {
      return MakeError(ErrorKind::kInconsistent,
                       "{}: signature {} of {} bytes runs past the end of the {} bytes stored",
                       source, i, n, blob.size());
    }
    std::string_view one = blob.substr(offset, n);
    offset += n;
    auto parsed = ParseSigstoreJsonSignature(one);
    if (!parsed.ok() && parsed.error().kind() == ErrorKind::kUnsupported) continue;  // GPG
    if (!parsed.ok()) return Wrap(std::move(parsed).error(), "{} signature {}", source, i);
    SignatureRecord r;
    r.format = SignatureFormat::kSimpleSigning;
    r.digest = std::string(digest);
    r.payload = std::move(parsed->payload);
    r.signature_base64 = std::move(parsed->signature_base64);
    r.imported_by = "containers/storage";
    r.source = fmt::format("{}#{}", source, i);
    out.push_back(std::move(r));
  }
  if (offset != blob.size()) {
    return MakeError(ErrorKind::kInconsistent,
                     "{}: {} bytes stored but the image metadata accounts for {}", source,
                     blob.size(), offset);
  }
  return out;
}

Result<std::vector<SignatureRecord>> EngineSignaturesFor(const ResolvedImage& image,
                                                         std::string_view manifest_digest) {
  // Only containers/storage keeps signatures with the image; Docker's stores and containerd's
  // content store have no place for them (cosign's registry attachments are not pulled).
  if (image.engine != cstorage::kEngineName) return std::vector<SignatureRecord>();
  auto records = ContainersStorageSignatures(image, manifest_digest);
  if (!records.ok()) {
    return Wrap(std::move(records).error(), "signatures kept by containers/storage for {}",
                manifest_digest);
  }
  return records;
}

}  // namespace verified::signature
