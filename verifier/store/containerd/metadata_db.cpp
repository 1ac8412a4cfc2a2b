#include "verifier/store/containerd/metadata_db.h"

#include "verifier/image/digest.h"
#include "verifier/store/containerd/limits.h"

namespace verified::containerd {
namespace {

// A string field of a record bucket; "" when absent.
Result<std::string> Field(bbolt::Tx& tx, const bbolt::Bucket& b, std::string_view key,
                          std::string_view what) {
  VERIFIED_ASSIGN_OR_WRAP(std::optional<std::string> v, tx.Get(b, key), "{}", what);
  if (!v) return std::string();
  if (v->size() > kMaxRecordValueBytes) {
    return MakeError(ErrorKind::kTooLarge, "{}: field '{}' of {} bytes", what, key, v->size());
  }
  if (v->find('\0') != std::string::npos) {
    return MakeError(ErrorKind::kParse, "{}: field '{}' contains a NUL byte", what, key);
  }
  return std::move(*v);
}

Result<std::map<std::string, std::string>> Labels(bbolt::Tx& tx, const bbolt::Bucket& b,
                                                  std::string_view what) {
  std::map<std::string, std::string> out;
  VERIFIED_ASSIGN_OR_WRAP(std::optional<bbolt::Bucket> labels, tx.Child(b, "labels"), "{}", what);
  if (!labels) return out;
  Status st = tx.ForEach(*labels, [&](const bbolt::Entry& e) -> Status {
    if (e.is_bucket) return MakeError(ErrorKind::kParse, "{}: label '{}' is a bucket", what, e.key);
    out.emplace(std::string(e.key), std::string(e.value));
    return Ok();
  });
  if (!st.ok()) return std::move(st).error();
  return out;
}

Result<ImageRecord> DecodeImage(bbolt::Tx& tx, const bbolt::Bucket& b, std::string name) {
  std::string what = "image record '" + name + "'";
  ImageRecord rec;
  rec.name = std::move(name);
  VERIFIED_ASSIGN_OR_WRAP(std::optional<bbolt::Bucket> target, tx.Child(b, "target"), "{}", what);
  if (!target) return MakeError(ErrorKind::kParse, "{} has no target", what);
  VERIFIED_ASSIGN_OR_RETURN(std::string digest, Field(tx, *target, "digest", what));
  VERIFIED_ASSIGN_OR_RETURN(rec.target_digest, ParseDigest(digest, what + " target digest"));
  VERIFIED_ASSIGN_OR_RETURN(rec.target_media_type, Field(tx, *target, "mediatype", what));
  VERIFIED_ASSIGN_OR_WRAP(std::optional<std::string> size, tx.Get(*target, "size"), "{}", what);
  if (size) {
    // images.go writes the size with binary.PutVarint.
    VERIFIED_ASSIGN_OR_WRAP(rec.target_size, DecodeVarint(*size), "{} target size", what);
  }
  return rec;
}

}  // namespace

Result<uint64_t> DecodeUvarint(std::string_view b) {
  uint64_t x = 0;
  unsigned shift = 0;
  for (size_t i = 0; i < b.size() && i < 10; ++i) {
    auto c = static_cast<unsigned char>(b[i]);
    if (i == 9 && c > 1) break;  // would overflow 64 bits (Go: "varint overflows")
    if (c < 0x80) {
      if (i + 1 != b.size()) {
        return MakeError(ErrorKind::kParse, "varint followed by {} extra bytes", b.size() - i - 1);
      }
      return x | (uint64_t{c} << shift);
    }
    x |= uint64_t{c & 0x7fu} << shift;
    shift += 7;
  }
  return MakeError(ErrorKind::kParse, "malformed varint of {} bytes", b.size());
}

Result<int64_t> DecodeVarint(std::string_view b) {
  VERIFIED_ASSIGN_OR_RETURN(uint64_t ux, DecodeUvarint(b));
  auto x = static_cast<int64_t>(ux >> 1);
  return (ux & 1) != 0 ? ~x : x;
}

Result<std::optional<ContainerRecord>> ReadContainer(bbolt::Tx& tx, const std::string& ns,
                                                     const std::string& id) {
  VERIFIED_ASSIGN_OR_RETURN(std::optional<bbolt::Bucket> b, tx.Path({"v1", ns, "containers", id}));
  if (!b) return std::optional<ContainerRecord>();
  std::string what = "container record " + ns + "/" + id;
  ContainerRecord rec;
  rec.id = id;
  VERIFIED_ASSIGN_OR_RETURN(rec.image, Field(tx, *b, "image", what));
  VERIFIED_ASSIGN_OR_RETURN(rec.snapshotter, Field(tx, *b, "snapshotter", what));
  VERIFIED_ASSIGN_OR_RETURN(rec.snapshot_key, Field(tx, *b, "snapshotKey", what));
  VERIFIED_ASSIGN_OR_RETURN(rec.labels, Labels(tx, *b, what));
  return std::optional<ContainerRecord>(std::move(rec));
}

Result<std::optional<ImageRecord>> ReadImage(bbolt::Tx& tx, const std::string& ns,
                                             const std::string& name) {
  VERIFIED_ASSIGN_OR_RETURN(std::optional<bbolt::Bucket> b, tx.Path({"v1", ns, "images", name}));
  if (!b) return std::optional<ImageRecord>();
  VERIFIED_ASSIGN_OR_RETURN(ImageRecord rec, DecodeImage(tx, *b, name));
  return std::optional<ImageRecord>(std::move(rec));
}

Result<std::vector<ImageRecord>> ListImages(bbolt::Tx& tx, const std::string& ns) {
  std::vector<ImageRecord> out;
  VERIFIED_ASSIGN_OR_RETURN(std::optional<bbolt::Bucket> images, tx.Path({"v1", ns, "images"}));
  if (!images) return out;
  Status st = tx.ForEach(*images, [&](const bbolt::Entry& e) -> Status {
    if (out.size() >= kMaxImagesScanned) {
      return MakeError(ErrorKind::kTooLarge, "namespace {} has more than {} images", ns,
                       kMaxImagesScanned);
    }
    VERIFIED_ASSIGN_OR_RETURN(bbolt::Bucket b, tx.OpenBucket(e));
    VERIFIED_ASSIGN_OR_RETURN(ImageRecord rec, DecodeImage(tx, b, std::string(e.key)));
    out.push_back(std::move(rec));
    return Ok();
  });
  if (!st.ok()) return std::move(st).error();
  return out;
}

Result<std::optional<SnapshotRef>> ReadSnapshotRef(bbolt::Tx& tx, const std::string& ns,
                                                   const std::string& snapshotter,
                                                   const std::string& key) {
  VERIFIED_ASSIGN_OR_RETURN(std::optional<bbolt::Bucket> b,
                            tx.Path({"v1", ns, "snapshots", snapshotter, key}));
  if (!b) return std::optional<SnapshotRef>();
  std::string what = "snapshot record " + ns + "/" + snapshotter + "/" + key;
  SnapshotRef ref;
  ref.key = key;
  VERIFIED_ASSIGN_OR_RETURN(ref.backend, Field(tx, *b, "name", what));
  VERIFIED_ASSIGN_OR_RETURN(ref.parent, Field(tx, *b, "parent", what));
  // createKey: "<ns>/<id>/<key>". A record naming another key's backend snapshot would let a
  // forged record borrow someone else's layer directory.
  std::string prefix = ns + "/";
  std::string suffix = "/" + key;
  bool shape = ref.backend.size() > prefix.size() + suffix.size() &&
               ref.backend.compare(0, prefix.size(), prefix) == 0 &&
               ref.backend.compare(ref.backend.size() - suffix.size(), suffix.size(), suffix) == 0;
  if (shape) {
    std::string_view n(ref.backend);
    n = n.substr(prefix.size(), n.size() - prefix.size() - suffix.size());
    for (char c : n) shape = shape && c >= '0' && c <= '9';
  }
  if (!shape) {
    return MakeError(ErrorKind::kInconsistent, "{} names backend snapshot '{}'", what, ref.backend);
  }
  return std::optional<SnapshotRef>(std::move(ref));
}

Result<std::vector<SnapshotRef>> ReadSnapshotLineage(bbolt::Tx& tx, const std::string& ns,
                                                     const std::string& snapshotter,
                                                     const std::string& key) {
  std::vector<SnapshotRef> out;
  std::string cur = key;
  while (!cur.empty()) {
    if (out.size() >= kMaxChainLength) {
      return MakeError(ErrorKind::kTooLarge, "snapshot {} has more than {} ancestors (a loop?)",
                       key, kMaxChainLength);
    }
    VERIFIED_ASSIGN_OR_RETURN(std::optional<SnapshotRef> ref,
                              ReadSnapshotRef(tx, ns, snapshotter, cur));
    if (!ref) {
      return MakeError(ErrorKind::kNotFound, "snapshot '{}' ({} in namespace {}) is not recorded",
                       cur, snapshotter, ns);
    }
    cur = ref->parent;
    out.push_back(std::move(*ref));
  }
  return out;
}

}  // namespace verified::containerd
