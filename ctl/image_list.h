// The whitelist/blacklist file of `verifiedctl audit --mode whitelist|blacklist --image-file`
// (seed 001's images.txt):
//
//   # comment                     whole-line comments; a " #" starts a trailing comment
//   my_company/*                  a name or glob, matched like a policy rule's "match"
//   python:3.7-alpine3.10         (a name without tag covers every tag of the repository)
//   malicious_repo/.*             a regex: any of ^ $ ( ) [ ] { } | + \ or ".*" / ".+"
//   regex:^evil\.io/.*$           "regex:" forces a regex (anchored, like a rule's "regex")
//
// Blank lines are ignored. The file is bounded (1 MiB, 10000 entries, 1024-byte lines), a
// counted repetition in a regex is limited (at most one, n <= 255, so compiling cannot
// explode), and every error names its line.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "verifier/core/result.h"
#include "verifier/image/pattern.h"
#include "verifier/image/reference.h"

namespace verified::ctl {

inline constexpr size_t kMaxImageListBytes = 1u << 20;
inline constexpr size_t kMaxImageListEntries = 10000;
inline constexpr size_t kMaxImageListLine = 1024;

/// One entry of the file.
struct ImageListEntry {
  size_t line = 0;   ///< 1-based line number
  std::string text;  ///< the entry as written (comment and blanks stripped)
  ImagePattern pattern;
};

/// A parsed image list.
struct ImageList {
  std::string path;  ///< for messages ("" when parsed from text)
  std::vector<ImageListEntry> entries;
};

/// Parses the file's text. kParse/kTooLarge naming the line at fault.
Result<ImageList> ParseImageList(std::string_view text);

/// Reads (size-limited, no symlink at the last component) and parses `path`.
Result<ImageList> LoadImageList(const std::string& path);

/// The first entry matching any of `names`, nullptr when none does.
const ImageListEntry* MatchImageList(const ImageList& list, const std::vector<Reference>& names);

}  // namespace verified::ctl
