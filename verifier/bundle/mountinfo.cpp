#include "verifier/bundle/mountinfo.h"

#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <charconv>

#include "verifier/fs/dir.h"

namespace verified {
namespace {

// mountinfo escapes space, tab, newline and backslash as \ooo (fs/proc_namespace.c,
// seq_path/mangle_path), so every field is split on spaces first and decoded after.
std::string Unescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size()) {
      auto oct = s.substr(i + 1, 3);
      if (oct.size() == 3 && oct.find_first_not_of("01234567") == std::string_view::npos) {
        out.push_back(
            static_cast<char>(((oct[0] - '0') << 6) | ((oct[1] - '0') << 3) | (oct[2] - '0')));
        i += 3;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

std::vector<std::string_view> SplitSpaces(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t pos = 0;
  while (pos < line.size()) {
    auto sp = line.find(' ', pos);
    if (sp == std::string_view::npos) sp = line.size();
    if (sp > pos) fields.push_back(line.substr(pos, sp - pos));
    pos = sp + 1;
  }
  return fields;
}

bool ParseInt(std::string_view s, int* out) {
  auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

Result<MountEntry> ParseLine(std::string_view line) {
  auto f = SplitSpaces(line);
  // id parent maj:min root mountpoint options [optional...] - fstype source superoptions
  size_t sep = 6;
  while (sep < f.size() && f[sep] != "-") ++sep;
  if (sep + 2 >= f.size()) {
    return MakeError(ErrorKind::kParse, "too few fields");
  }
  MountEntry e;
  auto colon = f[2].find(':');
  int major = 0, minor = 0;
  if (!ParseInt(f[0], &e.id) || !ParseInt(f[1], &e.parent) || colon == std::string_view::npos ||
      !ParseInt(f[2].substr(0, colon), &major) || !ParseInt(f[2].substr(colon + 1), &minor)) {
    return MakeError(ErrorKind::kParse, "bad numeric field");
  }
  e.dev = makedev(static_cast<unsigned>(major), static_cast<unsigned>(minor));
  e.root = Unescape(f[3]);
  e.mount_point = Unescape(f[4]);
  e.fs_type = Unescape(f[sep + 1]);
  e.source = Unescape(f[sep + 2]);
  e.super_options = sep + 3 < f.size() ? std::string(f[sep + 3]) : std::string();
  return e;
}

}  // namespace

std::optional<std::string> MountEntry::SuperOption(std::string_view key) const {
  std::string_view opts = super_options;
  size_t pos = 0;
  while (pos <= opts.size()) {
    auto comma = opts.find(',', pos);
    auto opt = opts.substr(pos, comma == std::string_view::npos ? opts.size() - pos : comma - pos);
    if (opt.size() > key.size() && opt.substr(0, key.size()) == key && opt[key.size()] == '=') {
      return Unescape(opt.substr(key.size() + 1));
    }
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  return std::nullopt;
}

Result<std::vector<MountEntry>> ParseMountinfo(std::string_view text) {
  std::vector<MountEntry> mounts;
  size_t pos = 0;
  int line_no = 0;
  while (pos < text.size()) {
    auto nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    auto line = text.substr(pos, nl - pos);
    ++line_no;
    pos = nl + 1;
    if (line.empty()) continue;
    auto entry = ParseLine(line);
    if (!entry.ok()) return Wrap(std::move(entry).error(), "mountinfo line {}", line_no);
    mounts.push_back(std::move(entry).value());
  }
  return mounts;
}

Result<std::vector<MountEntry>> ReadMountinfo(const std::string& path) {
  // /proc files report size 0, so ReadFileLimited's fstat shortcut does not apply; the read
  // loop still enforces the limit.
  VERIFIED_ASSIGN_OR_RETURN(std::string text, ReadFileLimited(path, kMaxMountinfoBytes));
  return ParseMountinfo(text);
}

const MountEntry* FindMountAt(const std::vector<MountEntry>& mounts, std::string_view mount_point) {
  const MountEntry* found = nullptr;
  for (const auto& m : mounts) {
    if (m.mount_point == mount_point) found = &m;
  }
  return found;
}

Result<const MountEntry*> MountedAt(const std::vector<MountEntry>& mounts,
                                    const std::string& mount_point) {
  const MountEntry* m = FindMountAt(mounts, mount_point);
  if (m == nullptr) {
    return MakeError(ErrorKind::kNotFound, "nothing is mounted at {}", mount_point);
  }
  // A mount table read earlier, or one describing another mount namespace, must not vouch for
  // the filesystem the runtime is about to hand to runc.
  struct stat st;
  if (stat(mount_point.c_str(), &st) != 0 || st.st_dev != m->dev) {
    return MakeError(ErrorKind::kInconsistent,
                     "the filesystem at {} is not the mount listed for it", mount_point);
  }
  return m;
}

Result<OverlayLayers> ParseOverlay(const MountEntry& mount) {
  if (mount.fs_type != "overlay") {
    return MakeError(ErrorKind::kUnsupported, "{} is a {} mount, not overlay", mount.mount_point,
                     mount.fs_type);
  }
  auto lower = mount.SuperOption("lowerdir");
  if (!lower || lower->empty()) {
    return MakeError(ErrorKind::kUnsupported, "overlay at {} reports no lowerdir",
                     mount.mount_point);
  }
  OverlayLayers layers;
  // Layers are ':'-separated; overlayfs escapes a literal ':' in a path as "\:".
  std::string cur;
  for (size_t i = 0; i < lower->size(); ++i) {
    char c = (*lower)[i];
    if (c == '\\' && i + 1 < lower->size()) {
      cur.push_back((*lower)[++i]);
    } else if (c == ':') {
      layers.lower.push_back(std::move(cur));
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  layers.lower.push_back(std::move(cur));
  for (const auto& l : layers.lower) {
    if (l.empty()) {
      return MakeError(ErrorKind::kParse, "overlay at {} has an empty lowerdir entry",
                       mount.mount_point);
    }
  }
  layers.upper = mount.SuperOption("upperdir").value_or("");
  layers.work = mount.SuperOption("workdir").value_or("");
  return layers;
}

}  // namespace verified
