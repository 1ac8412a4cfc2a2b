#include "verifier/signature/cosign_layout.h"

#include <sys/stat.h>

#include <algorithm>
#include <set>

#include "verifier/core/go_json_keys.h"
#include "verifier/fs/dir.h"
#include "verifier/image/digest.h"
#include "verifier/image/image_config.h"
#include "verifier/signature/cosign_simple_signing.h"
#include "verifier/signature/manifest_binding.h"
#include "verifier/signature/sigstore_bundle.h"
#include "verifier/signature/sigstore_json_signature.h"

namespace verified::signature {
namespace {

using nlohmann::json;

// cosign pkg/oci/layout/index.go.
constexpr std::string_view kKindAnnotation = "kind";
constexpr std::string_view kKindImage = "dev.cosignproject.cosign/image";
constexpr std::string_view kKindImageIndex = "dev.cosignproject.cosign/imageIndex";
constexpr std::string_view kKindSigs = "dev.cosignproject.cosign/sigs";
constexpr std::string_view kKindAtts = "dev.cosignproject.cosign/atts";

struct Desc {
  std::string digest;
  int64_t size = -1;
  std::string media_type;
  json annotations = json::object();
};

std::string StringAt(const json& obj, std::string_view key) {
  if (!obj.is_object()) return "";
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : "";
}

Result<Desc> ParseDesc(const json& j, const std::string& what) {
  if (!j.is_object()) return MakeError(ErrorKind::kParse, "{}: descriptor is not an object", what);
  Desc d;
  d.digest = StringAt(j, "digest");
  if (!IsSha256Digest(d.digest)) {
    return MakeError(ErrorKind::kParse, "{}: digest is not sha256:<64 hex>", what);
  }
  if (auto s = j.find("size"); s != j.end()) {
    if (!s->is_number_unsigned()) {
      return MakeError(ErrorKind::kParse, "{}: size is not a non-negative integer", what);
    }
    d.size = s->get<int64_t>();
  }
  d.media_type = StringAt(j, "mediaType");
  if (auto a = j.find("annotations"); a != j.end() && !a->is_null()) {
    if (!a->is_object()) return MakeError(ErrorKind::kParse, "{}: annotations not an object", what);
    d.annotations = *a;
  }
  return d;
}

bool IsBundleType(std::string_view mt) {
  return mt == kBundleMediaTypeV03 || mt == kBundleMediaTypeV03Alt;
}

// A referrer holding a bundle: its artifactType (or, for image-spec 1.0 style artifacts, its
// config media type) is a bundle media type.
bool IsBundleManifest(const json& m) {
  if (!m.is_object()) return false;
  auto cfg = m.find("config");
  return IsBundleType(StringAt(m, "artifactType")) ||
         (cfg != m.end() && IsBundleType(StringAt(*cfg, "mediaType")));
}

class Parser {
 public:
  Parser(const LayoutFiles& files, std::string_view source) : files_(files), source_(source) {}

  Result<std::string> Blob(const Desc& d, size_t limit, const std::string& what) {
    std::string rel = "blobs/sha256/" + std::string(DigestHex(d.digest));
    VERIFIED_ASSIGN_OR_WRAP(std::string bytes, files_.Read(rel, limit), "{} {}", what, rel);
    if (d.size >= 0 && bytes.size() != static_cast<uint64_t>(d.size)) {
      return MakeError(ErrorKind::kIntegrity, "{} {}: {} bytes, its descriptor says {}", what, rel,
                       bytes.size(), d.size);
    }
    VERIFIED_RETURN_IF_ERROR(CheckDigest(bytes, d.digest, std::string(source_) + "/" + rel));
    return bytes;
  }

  Result<json> Document(std::string_view bytes, const std::string& what) {
    VERIFIED_ASSIGN_OR_RETURN(json doc, ParseJsonAsGo(bytes, what, 16));
    if (!doc.is_object()) return MakeError(ErrorKind::kParse, "{} is not a JSON object", what);
    return doc;
  }

  Result<json> Layers(const json& m, const std::string& what) {
    auto l = m.find("layers");
    if (l == m.end() || !l->is_array()) {
      return MakeError(ErrorKind::kParse, "{} has no layers list", what);
    }
    if (l->size() > kMaxLayoutEntries) {
      return MakeError(ErrorKind::kTooLarge, "{} has more than {} layers", what, kMaxLayoutEntries);
    }
    return *l;
  }

  Status Add(SignatureRecord r) {
    if (records_.size() >= kMaxLayoutEntries) {
      return MakeError(ErrorKind::kTooLarge, "{}: more than {} signatures", source_,
                       kMaxLayoutEntries);
    }
    records_.push_back(std::move(r));
    return Ok();
  }

  // The legacy `sha256-<digest>.sig` image: one simple-signing payload per layer.
  Status AddSigs(const Desc& d) {
    std::string what = "signature manifest " + d.digest;
    VERIFIED_ASSIGN_OR_RETURN(std::string bytes, Blob(d, kMaxManifestBytes, what));
    VERIFIED_ASSIGN_OR_RETURN(json m, Document(bytes, what));
    VERIFIED_ASSIGN_OR_RETURN(json layers, Layers(m, what));
    for (size_t i = 0; i < layers.size(); ++i) {
      std::string lw = fmt::format("{} layer {}", what, i);
      VERIFIED_ASSIGN_OR_RETURN(Desc ld, ParseDesc(layers[i], lw));
      if (ld.media_type != kCosignSimpleSigningMimeType) continue;
      std::string sig = StringAt(ld.annotations, kCosignSignatureAnnotation);
      if (sig.empty()) {
        return MakeError(ErrorKind::kParse, "{}: no {} annotation", lw, kCosignSignatureAnnotation);
      }
      SignatureRecord r;
      r.format = SignatureFormat::kSimpleSigning;
      VERIFIED_ASSIGN_OR_RETURN(r.payload, Blob(ld, kMaxSimpleSigningPayloadBytes, lw));
      r.signature_base64 = std::move(sig);
      r.source = fmt::format("{}/blobs/sha256/{}", source_, DigestHex(ld.digest));
      VERIFIED_RETURN_IF_ERROR(Add(std::move(r)));
    }
    return Ok();
  }

  // The legacy `sha256-<digest>.att` image: one DSSE envelope (an in-toto Statement) per layer.
  Status AddAtts(const Desc& d) {
    std::string what = "attestation manifest " + d.digest;
    VERIFIED_ASSIGN_OR_RETURN(std::string bytes, Blob(d, kMaxManifestBytes, what));
    VERIFIED_ASSIGN_OR_RETURN(json m, Document(bytes, what));
    VERIFIED_ASSIGN_OR_RETURN(json layers, Layers(m, what));
    for (size_t i = 0; i < layers.size(); ++i) {
      std::string lw = fmt::format("{} layer {}", what, i);
      VERIFIED_ASSIGN_OR_RETURN(Desc ld, ParseDesc(layers[i], lw));
      if (ld.media_type != kDsseEnvelopeMediaType) continue;
      if (out_.dsse_envelopes.size() >= kMaxLayoutEntries) {
        return MakeError(ErrorKind::kTooLarge, "{}: more than {} attestations", source_,
                         kMaxLayoutEntries);
      }
      VERIFIED_ASSIGN_OR_RETURN(std::string envelope, Blob(ld, kMaxLayoutEnvelopeBytes, lw));
      out_.dsse_envelopes.emplace_back(
          fmt::format("{}/blobs/sha256/{}", source_, DigestHex(ld.digest)), std::move(envelope));
    }
    return Ok();
  }

  Status AddBundles(const json& m, const std::string& what) {
    VERIFIED_ASSIGN_OR_RETURN(json layers, Layers(m, what));
    for (size_t i = 0; i < layers.size(); ++i) {
      std::string lw = fmt::format("{} layer {}", what, i);
      VERIFIED_ASSIGN_OR_RETURN(Desc ld, ParseDesc(layers[i], lw));
      if (!IsBundleType(ld.media_type)) continue;
      SignatureRecord r;
      r.format = SignatureFormat::kSigstoreBundle;
      VERIFIED_ASSIGN_OR_RETURN(r.bundle, Blob(ld, kMaxBundleBytes, lw));
      r.source = fmt::format("{}/blobs/sha256/{}", source_, DigestHex(ld.digest));
      VERIFIED_RETURN_IF_ERROR(Add(std::move(r)));
    }
    return Ok();
  }

  Status Entry(const json& e, size_t i) {
    std::string what = fmt::format("{}/index.json entry {}", source_, i);
    VERIFIED_ASSIGN_OR_RETURN(Desc d, ParseDesc(e, what));
    std::string kind = StringAt(d.annotations, kKindAnnotation);
    if (kind == kKindSigs) {
      seen_.insert(d.digest);
      return AddSigs(d);
    }
    if (kind == kKindAtts) {
      seen_.insert(d.digest);
      return AddAtts(d);
    }
    if (kind != kKindImage && kind != kKindImageIndex) return Ok();
    seen_.insert(d.digest);
    VERIFIED_ASSIGN_OR_RETURN(std::string bytes, Blob(d, kMaxManifestBytes, what));
    VERIFIED_ASSIGN_OR_RETURN(json m, Document(bytes, what));
    if (IsBundleManifest(m)) return AddBundles(m, what);
    if (!out_.image_digest.empty()) {
      return MakeError(ErrorKind::kParse, "{}: a second image ({} and {})", what, out_.image_digest,
                       d.digest);
    }
    out_.image_digest = d.digest;
    out_.image_bytes = std::move(bytes);
    return Ok();
  }

  // Referrers whose index.json entry `cosign save` overwrote (see the header).
  Status Referrers() {
    VERIFIED_ASSIGN_OR_RETURN(auto blobs, files_.ListBlobs(kMaxLayoutBlobs));
    std::sort(blobs.begin(), blobs.end());
    for (const auto& [hex, size] : blobs) {
      std::string digest = "sha256:" + hex;
      if (!IsHex64(hex) || size > kMaxReferrerManifestBytes || seen_.count(digest)) continue;
      Desc d;
      d.digest = digest;
      VERIFIED_ASSIGN_OR_RETURN(std::string bytes, Blob(d, kMaxReferrerManifestBytes, "blob"));
      auto m = ParseJsonAsGo(bytes, "blob", 16);
      if (!m.ok() || !IsBundleManifest(*m)) continue;  // layers, configs, other documents
      auto subject = m->find("subject");
      if (subject == m->end() || StringAt(*subject, "digest") != out_.image_digest) continue;
      VERIFIED_RETURN_IF_ERROR(AddBundles(*m, "referrer manifest " + digest));
    }
    return Ok();
  }

  Result<CosignLayout> Run() {
    VERIFIED_ASSIGN_OR_RETURN(std::string layout, files_.Read("oci-layout", 4096));
    VERIFIED_ASSIGN_OR_RETURN(json lj, Document(layout, "oci-layout"));
    if (StringAt(lj, "imageLayoutVersion") != "1.0.0") {
      return MakeError(ErrorKind::kParse, "{}/oci-layout: imageLayoutVersion is not 1.0.0",
                       source_);
    }
    VERIFIED_ASSIGN_OR_RETURN(std::string index, files_.Read("index.json", kMaxLayoutIndexBytes));
    VERIFIED_ASSIGN_OR_RETURN(json ij, Document(index, "index.json"));
    auto list = ij.find("manifests");
    if (list == ij.end() || !list->is_array()) {
      return MakeError(ErrorKind::kParse, "{}/index.json has no manifests list", source_);
    }
    if (list->size() > kMaxLayoutEntries) {
      return MakeError(ErrorKind::kTooLarge, "{}/index.json lists more than {} manifests", source_,
                       kMaxLayoutEntries);
    }
    for (size_t i = 0; i < list->size(); ++i) VERIFIED_RETURN_IF_ERROR(Entry((*list)[i], i));
    if (out_.image_digest.empty()) {
      return MakeError(ErrorKind::kParse,
                       "{}/index.json has no entry of kind {} or {}: not written by cosign save",
                       source_, kKindImage, kKindImageIndex);
    }
    VERIFIED_RETURN_IF_ERROR(Referrers());
    if (records_.empty() && out_.dsse_envelopes.empty()) {
      return MakeError(ErrorKind::kNotFound, "{}: no signature for {} in the layout", source_,
                       out_.image_digest);
    }
    out_.records = std::move(records_);
    return std::move(out_);
  }

 private:
  const LayoutFiles& files_;
  std::string_view source_;
  CosignLayout out_;
  std::vector<SignatureRecord> records_;
  std::set<std::string> seen_;
};

class DirLayoutFiles : public LayoutFiles {
 public:
  explicit DirLayoutFiles(Dir dir) : dir_(std::move(dir)) {}
  Result<std::string> Read(std::string_view rel, size_t limit) const override {
    return dir_.ReadFile(rel, limit);
  }
  Result<std::vector<std::pair<std::string, uint64_t>>> ListBlobs(size_t max) const override {
    VERIFIED_ASSIGN_OR_RETURN(std::vector<std::string> names, dir_.List("blobs/sha256", max));
    std::vector<std::pair<std::string, uint64_t>> out;
    for (const auto& n : names) {
      if (!IsHex64(n)) continue;
      VERIFIED_ASSIGN_OR_RETURN(struct stat st, dir_.Lstat("blobs/sha256/" + n));
      if (S_ISREG(st.st_mode)) out.emplace_back(n, static_cast<uint64_t>(st.st_size));
    }
    return out;
  }

 private:
  Dir dir_;
};

}  // namespace

Result<CosignLayout> ParseCosignLayout(const LayoutFiles& files, std::string_view source) {
  return Parser(files, source).Run();
}

bool IsOciLayoutDir(const std::string& dir) {
  struct stat st;
  return lstat((dir + "/oci-layout").c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

Result<CosignLayout> ReadCosignLayout(const std::string& dir) {
  VERIFIED_ASSIGN_OR_RETURN(Dir d, Dir::Open(dir));
  DirLayoutFiles files(std::move(d));
  return ParseCosignLayout(files, dir);
}

}  // namespace verified::signature
