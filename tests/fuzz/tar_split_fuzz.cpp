// Fuzz target: tar-split streams and everything that reads their bytes
// (verifier/content/tar_split.h, tar_header.h, layer_tree.h, content_cache.h).
//
// The first byte picks what the rest is:
//   'j'  tar-split JSON lines: each line parsed; segments fed to the tar header parser and
//        the expected-tree builder exactly as the verifier does; the same lines also go
//        through gzip and the streaming reader
//   'z'  raw bytes handed to the gzip tar-split reader
//   't'  a raw tar stream for the header parser with inline content (layer blobs)
//   'm'  a manifest body for the cache decoder; 'f' a fingerprints body
#include <zlib.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "verifier/content/content_cache.h"
#include "verifier/content/layer_tree.h"
#include "verifier/content/tar_header.h"
#include "verifier/content/tar_split.h"

namespace {

using namespace verified;
using namespace verified::content;

std::string Gzip(std::string_view data) {
  z_stream zs{};
  deflateInit2(&zs, 1, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, data.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

// What VerifyTarSplitLayer does with each entry, minus the disk.
void Consume(TarSplitReader& reader) {
  ExpectedTreeBuilder builder;
  TarStreamParser parser([&](const TarEntry& e) { return builder.Add(e); }, false);
  TarSplitEntry e;
  while (true) {
    auto more = reader.Next(e);
    if (!more.ok() || !*more) break;
    Status st = e.type == TarSplitEntry::kSegment
                    ? parser.Feed(e.payload.data(), e.payload.size())
                    : parser.SkipContent(static_cast<uint64_t>(e.size));
    if (!st.ok()) return;
  }
  (void)parser.Finish();
  (void)std::move(builder).Finish();
}

// The segments alone, as one inline archive (the layer-blob path).
void Inline(const std::string& tar) {
  ExpectedTreeBuilder builder;
  TarStreamParser parser([&](const TarEntry& e) { return builder.Add(e); }, true);
  if (parser.Feed(tar.data(), tar.size()).ok()) (void)parser.Finish();
  (void)std::move(builder).Finish();
}

void Lines(std::string_view text) {
  std::string segments;
  ExpectedTreeBuilder builder;
  TarStreamParser parser([&](const TarEntry& e) { return builder.Add(e); }, false);
  TarSplitEntry e;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view line =
        text.substr(pos, nl == std::string_view::npos ? text.size() - pos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    if (!ParseTarSplitLine(line, e).ok()) continue;
    if (e.type == TarSplitEntry::kSegment) {
      (void)parser.Feed(e.payload.data(), e.payload.size());
      segments += e.payload;
    } else {
      (void)parser.SkipContent(static_cast<uint64_t>(e.size));
    }
  }
  (void)parser.Finish();
  (void)std::move(builder).Finish();
  Inline(segments);
  (void)DecodeManifest(text, "sha256:" + std::string(64, 'a'));
  (void)DecodeFingerprints(text);
  std::string gz = Gzip(text);
  auto reader = TarSplitReader::FromMemory(gz, "fuzz");
  if (reader.ok()) Consume(**reader);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0]) {
    case 'j':
      Lines(in);
      break;
    case 'z': {
      auto reader = TarSplitReader::FromMemory(in, "fuzz");
      if (reader.ok()) Consume(**reader);
      break;
    }
    case 't':
      Inline(std::string(in));
      break;
    case 'm':
      (void)DecodeManifest(in, "sha256:" + std::string(64, 'a'));
      break;
    case 'f':
      (void)DecodeFingerprints(in);
      break;
    default:
      break;
  }
  return 0;
}
