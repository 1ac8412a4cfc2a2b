#include "ctl/image_list.h"

#include "verifier/fs/dir.h"

namespace verified::ctl {
namespace {

std::string_view Strip(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

bool LooksLikeRegex(std::string_view s) {
  return s.find_first_of("^$()[]{}|+\\") != std::string_view::npos ||
         s.find(".*") != std::string_view::npos || s.find(".+") != std::string_view::npos;
}

Result<ImagePattern> Compile(std::string_view entry, size_t line) {
  bool forced = entry.rfind("regex:", 0) == 0;
  if (forced || LooksLikeRegex(entry)) {
    std::string re(forced ? Strip(entry.substr(6)) : entry);
    auto p = ImagePattern::Regex(re);
    if (!p.ok()) return Wrap(std::move(p).error(), "line {}", line);
    return p;
  }
  auto p = ImagePattern::Glob(std::string(entry));
  if (!p.ok()) return Wrap(std::move(p).error(), "line {}", line);
  return p;
}

}  // namespace

Result<ImageList> ParseImageList(std::string_view text) {
  if (text.size() > kMaxImageListBytes) {
    return MakeError(ErrorKind::kTooLarge, "image list exceeds {} bytes", kMaxImageListBytes);
  }
  if (text.find('\0') != std::string_view::npos) {
    return MakeError(ErrorKind::kParse, "image list contains a NUL byte");
  }
  ImageList list;
  size_t line = 0, pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view raw = text.substr(pos, end - pos);
    pos = end + 1;
    ++line;
    if (raw.size() > kMaxImageListLine) {
      return MakeError(ErrorKind::kTooLarge, "line {} is longer than {} bytes", line,
                       kMaxImageListLine);
    }
    std::string_view entry = Strip(raw);
    if (entry.empty() || entry.front() == '#') continue;
    // A trailing comment needs a blank before '#': '#' cannot occur in an image name, but a
    // regex may use it.
    for (size_t i = 1; i < entry.size(); ++i) {
      if (entry[i] == '#' && (entry[i - 1] == ' ' || entry[i - 1] == '\t')) {
        entry = Strip(entry.substr(0, i));
        break;
      }
    }
    if (list.entries.size() >= kMaxImageListEntries) {
      return MakeError(ErrorKind::kTooLarge, "image list has more than {} entries",
                       kMaxImageListEntries);
    }
    VERIFIED_ASSIGN_OR_RETURN(ImagePattern p, Compile(entry, line));
    list.entries.push_back({line, std::string(entry), std::move(p)});
  }
  return list;
}

Result<ImageList> LoadImageList(const std::string& path) {
  VERIFIED_ASSIGN_OR_WRAP(std::string text, ReadFileLimited(path, kMaxImageListBytes),
                          "image list {}", path);
  VERIFIED_ASSIGN_OR_WRAP(ImageList list, ParseImageList(text), "image list {}", path);
  list.path = path;
  return list;
}

const ImageListEntry* MatchImageList(const ImageList& list, const std::vector<Reference>& names) {
  for (const auto& e : list.entries) {
    for (const auto& n : names) {
      if (e.pattern.Matches(n)) return &e;
    }
  }
  return nullptr;
}

}  // namespace verified::ctl
