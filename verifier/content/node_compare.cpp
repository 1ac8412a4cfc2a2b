#include "verifier/content/node_compare.h"

#include <fmt/format.h>

namespace verified::content {
namespace {

std::string XattrNames(const std::vector<std::pair<std::string, std::string>>& x) {
  std::string s;
  for (const auto& [k, v] : x) s += (s.empty() ? "" : ", ") + k;
  return s.empty() ? "none" : s;
}

}  // namespace

std::string ModeText(uint32_t mode) { return fmt::format("{:04o}", mode & 07777); }

std::optional<std::string> CompareNode(const ExpectedNode& want, const DiskObject& have) {
  NodeType got;
  if (!DiskNodeType(have.st, got)) {
    return fmt::format("is an unsupported file type on disk (mode {:o})", have.st.mode);
  }
  NodeType expect = want.type == NodeType::kHardlink ? NodeType::kRegular : want.type;
  if (want.type == NodeType::kHardlink && got != NodeType::kDirectory) {
    return std::nullopt;  // identity is checked by inode once the target has been seen
  }
  if (got != expect) {
    return fmt::format("is a {} on disk but a {} in the layer", NodeTypeName(got),
                       NodeTypeName(expect));
  }
  if (want.opaque != have.opaque) {
    return want.opaque ? std::string("lost its opaque marker (trusted.overlay.opaque)")
                       : std::string("carries an opaque marker the layer does not have");
  }
  if (want.implicit) return std::nullopt;
  if (have.st.uid != want.uid || have.st.gid != want.gid) {
    return fmt::format("is owned by {}:{} on disk but {}:{} in the layer", have.st.uid, have.st.gid,
                       want.uid, want.gid);
  }
  if (want.type == NodeType::kWhiteout) return std::nullopt;
  uint32_t perm = have.st.mode & 07777;
  if (want.type != NodeType::kSymlink && perm != want.mode) {
    return fmt::format("has mode {} on disk but {} in the layer", ModeText(perm),
                       ModeText(want.mode));
  }
  if (want.type == NodeType::kRegular && have.st.size != want.size) {
    return fmt::format("has {} bytes on disk but {} in the layer", have.st.size, want.size);
  }
  if (want.type == NodeType::kSymlink && have.link != want.link) {
    return fmt::format("points at '{}' on disk but at '{}' in the layer", have.link, want.link);
  }
  if ((want.type == NodeType::kChar || want.type == NodeType::kBlock) &&
      (have.st.rdev_major != want.devmajor || have.st.rdev_minor != want.devminor)) {
    return fmt::format("is device {}:{} on disk but {}:{} in the layer", have.st.rdev_major,
                       have.st.rdev_minor, want.devmajor, want.devminor);
  }
  if (have.st.mtime_sec != want.mtime_sec || have.st.mtime_nsec != want.mtime_nsec) {
    return fmt::format("was modified: mtime {}.{:09d} on disk but {}.{:09d} in the layer",
                       have.st.mtime_sec, have.st.mtime_nsec, want.mtime_sec, want.mtime_nsec);
  }
  if (have.xattrs != want.xattrs) {
    return fmt::format("has xattrs [{}] on disk but [{}] in the layer", XattrNames(have.xattrs),
                       XattrNames(want.xattrs));
  }
  return std::nullopt;
}

}  // namespace verified::content
