// Fuzz target: bbolt files (containerd's meta.db and the overlayfs snapshotter's metadata.db)
// through the page reader and the containerd schema readers. Seeds: files written by a real
// containerd (tests/fixtures/containerd/make-fixtures.sh) and small synthetic ones with 512-byte
// pages where mutations hit headers and element arrays (tests/tools/write_bbolt_seeds.cpp).
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <functional>
#include <string>

#include "verifier/store/containerd/bbolt.h"
#include "verifier/store/containerd/metadata_db.h"
#include "verifier/store/containerd/snapshot_db.h"

namespace {

using verified::Ok;
using verified::Status;
namespace bbolt = verified::bbolt;
namespace ctd = verified::containerd;

Status Walk(bbolt::Tx& tx, const bbolt::Bucket& b, int depth) {
  if (depth > 8) return Ok();
  return tx.ForEach(b, [&](const bbolt::Entry& e) -> Status {
    if (!e.is_bucket) return Ok();
    auto child = tx.OpenBucket(e);
    if (!child.ok()) return std::move(child).error();
    return Walk(tx, *child, depth + 1);
  });
}

void RunOne(const uint8_t* data, size_t size);

// Mutated meta fields (root, high water mark, page size) would almost always be stopped by the
// checksum; a second run with the checksums recomputed lets them reach the page reader.
std::string FixMetaChecksums(const uint8_t* data, size_t size) {
  std::string b(reinterpret_cast<const char*>(data), size);
  auto fix = [&](size_t page) {
    size_t m = page + bbolt::kPageHeaderSize;
    if (m + bbolt::kMetaBytes > b.size()) return;
    uint64_t sum = bbolt::Fnv1a64(std::string_view(b).substr(m, bbolt::kMetaChecksummed));
    std::memcpy(&b[m + bbolt::kMetaChecksummed], &sum, sizeof(sum));
  };
  fix(0);
  if (b.size() >= bbolt::kPageHeaderSize + 12) {
    uint32_t ps;
    std::memcpy(&ps, &b[bbolt::kPageHeaderSize + 8], sizeof(ps));
    if (ps >= bbolt::kMinPageSize && ps <= bbolt::kMaxPageSize) fix(ps);
  }
  return b;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  RunOne(data, size);
  std::string fixed = FixMetaChecksums(data, size);
  RunOne(reinterpret_cast<const uint8_t*>(fixed.data()), fixed.size());
  return 0;
}

namespace {

void RunOne(const uint8_t* data, size_t size) {
  int fd = memfd_create("bbolt-fuzz", MFD_CLOEXEC);
  if (fd < 0) return;
  if (write(fd, data, size) != static_cast<ssize_t>(size)) {
    close(fd);
    return;
  }
  bbolt::Limits limits;
  limits.max_read_bytes = 64u << 20;
  limits.max_entries = 200000;
  bbolt::Db db = bbolt::Db::FromFd(fd, "fuzz", limits);
  (void)db.ViewStatus([](bbolt::Tx& tx) { return Walk(tx, tx.Root(), 0); });
  (void)db.ViewStatus([](bbolt::Tx& tx) -> Status {
    (void)ctd::ReadContainer(tx, "default", "c01");
    (void)ctd::ReadContainer(tx, "default", "cbig");
    (void)ctd::ListImages(tx, "default");
    (void)ctd::ReadImage(tx, "default", "docker.io/library/app:1");
    (void)ctd::ReadSnapshotLineage(tx, "default", "overlayfs", "c01");
    (void)ctd::ReadSnapshotLineage(tx, "default", "overlayfs", "chain-view");
    (void)ctd::ReadBackendSnapshot(tx, "default/4/c01");
    (void)tx.Path({"v1", "snapshots"});
    return Ok();
  });
}

}  // namespace
