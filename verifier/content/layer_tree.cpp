#include "verifier/content/layer_tree.h"

#include <algorithm>

#include "verifier/content/limits.h"

namespace verified::content {
namespace {

constexpr std::string_view kWhiteoutPrefix = ".wh.";
constexpr std::string_view kOpaqueMarker = ".wh..wh..opq";
constexpr std::string_view kWhiteoutMeta = ".wh..wh.";

bool IsOpaqueXattr(const std::string& name) {
  return name == "trusted.overlay.opaque" || name == "user.overlay.opaque";
}

std::pair<std::string, std::string> SplitParent(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return {"", path};
  return {path.substr(0, slash), path.substr(slash + 1)};
}

}  // namespace

const char* NodeTypeName(NodeType t) {
  switch (t) {
    case NodeType::kRegular:
      return "regular file";
    case NodeType::kDirectory:
      return "directory";
    case NodeType::kSymlink:
      return "symlink";
    case NodeType::kHardlink:
      return "hard link";
    case NodeType::kChar:
      return "character device";
    case NodeType::kBlock:
      return "block device";
    case NodeType::kFifo:
      return "fifo";
    case NodeType::kWhiteout:
      return "whiteout";
  }
  return "unknown";
}

const ExpectedNode* ExpectedTree::Find(std::string_view path) const {
  auto it = index.find(std::string(path));
  return it == index.end() ? nullptr : &nodes[it->second];
}

Result<std::string> CleanArchiveName(std::string_view name) {
  if (name.size() > kMaxPathBytes) {
    return MakeError(ErrorKind::kTooLarge, "archive name of {} bytes", name.size());
  }
  if (name.find('\0') != std::string_view::npos) {
    return MakeError(ErrorKind::kUnsafePath, "archive name contains a NUL byte");
  }
  if (!name.empty() && name.front() == '/') {
    return MakeError(ErrorKind::kUnsafePath, "absolute archive name '{}' refused", name);
  }
  std::string out;
  out.reserve(name.size());
  size_t pos = 0;
  while (pos <= name.size()) {
    auto slash = name.find('/', pos);
    auto comp = name.substr(pos, slash == std::string_view::npos ? name.size() - pos : slash - pos);
    if (comp == "..") {
      return MakeError(ErrorKind::kUnsafePath, "archive name '{}' has a '..' component", name);
    }
    if (!comp.empty() && comp != ".") {
      if (!out.empty()) out += '/';
      out.append(comp);
    }
    if (slash == std::string_view::npos) break;
    pos = slash + 1;
  }
  return out;
}

Status ExpectedTreeBuilder::Insert(ExpectedNode n) {
  if (tree_.nodes.size() >= kMaxLayerEntries) {
    return MakeError(ErrorKind::kTooLarge, "layer has more than {} entries", kMaxLayerEntries);
  }
  auto [it, fresh] = tree_.index.emplace(n.path, tree_.nodes.size());
  if (!fresh) {
    ExpectedNode& old = tree_.nodes[it->second];
    // A directory listed after it was created as a parent takes the listed metadata.
    if (old.implicit && n.type == NodeType::kDirectory) {
      n.opaque = n.opaque || old.opaque;
      old = std::move(n);
      last_index_ = it->second;
      return Ok();
    }
    return MakeError(ErrorKind::kUnsupported, "the layer has two entries for '{}'", n.path);
  }
  last_index_ = tree_.nodes.size();
  tree_.nodes.push_back(std::move(n));
  return Ok();
}

Status ExpectedTreeBuilder::EnsureParents(const std::string& path) {
  std::string parent = SplitParent(path).first;
  if (parent.empty()) return Ok();
  // Archives list a directory's entries together: most entries share the previous parent.
  if (parent == last_parent_) return Ok();
  auto it = tree_.index.find(parent);
  if (it != tree_.index.end()) {
    if (tree_.nodes[it->second].type != NodeType::kDirectory) {
      return MakeError(ErrorKind::kUnsupported, "'{}' is under '{}', which is a {}", path, parent,
                       NodeTypeName(tree_.nodes[it->second].type));
    }
    last_parent_ = parent;
    return Ok();
  }
  VERIFIED_RETURN_IF_ERROR(EnsureParents(parent));
  ExpectedNode d;
  d.path = parent;
  d.type = NodeType::kDirectory;
  d.implicit = true;
  d.mode = 0755;
  return Insert(std::move(d));
}

Status ExpectedTreeBuilder::Add(const TarEntry& e) {
  last_index_ = SIZE_MAX;
  if (e.type == 'g') return Ok();  // PAX global header: no file (moby ignores it)
  VERIFIED_ASSIGN_OR_RETURN(std::string path, CleanArchiveName(e.name));
  if (path.empty()) return Ok();  // the layer root: moby skips it
  auto [parent, base] = SplitParent(path);
  VERIFIED_RETURN_IF_ERROR(EnsureParents(path));
  if (base == kOpaqueMarker) {
    if (parent.empty()) {
      tree_.root_opaque = true;
      return Ok();
    }
    tree_.nodes[tree_.index.at(parent)].opaque = true;
    return Ok();
  }
  if (base.rfind(kWhiteoutMeta, 0) == 0) {
    return MakeError(ErrorKind::kUnsupported, "AUFS metadata entry '{}' is not supported", path);
  }
  ExpectedNode n;
  n.uid = e.uid;
  n.gid = e.gid;
  if (base.rfind(kWhiteoutPrefix, 0) == 0) {
    std::string orig = base.substr(kWhiteoutPrefix.size());
    if (orig.empty() || orig == "." || orig == "..") {
      return MakeError(ErrorKind::kUnsafePath, "invalid whiteout entry '{}'", path);
    }
    n.path = parent.empty() ? orig : parent + "/" + orig;
    n.type = NodeType::kWhiteout;
    return Insert(std::move(n));
  }
  n.path = path;
  n.mode = e.mode;
  n.size = e.size;
  n.mtime_sec = e.mtime_sec;
  n.mtime_nsec = e.mtime_nsec;
  for (const auto& [k, v] : e.xattrs) {
    if (IsOpaqueXattr(k)) {
      n.opaque = n.opaque || v == "y";
      continue;
    }
    n.xattrs.emplace_back(k, v);
  }
  if (n.xattrs.size() > kMaxXattrs) {
    return MakeError(ErrorKind::kTooLarge, "'{}' has more than {} xattrs", path, kMaxXattrs);
  }
  switch (e.type) {
    case '0':
      n.type = NodeType::kRegular;
      break;
    case '1': {
      n.type = NodeType::kHardlink;
      VERIFIED_ASSIGN_OR_RETURN(n.link, CleanArchiveName(e.linkname));
      const ExpectedNode* target = tree_.Find(n.link);
      if (n.link.empty() || target == nullptr || target->type == NodeType::kDirectory ||
          target->type == NodeType::kWhiteout) {
        return MakeError(ErrorKind::kUnsupported,
                         "hard link '{}' points at '{}', which is not an earlier file", path,
                         e.linkname);
      }
      // Chains of links all share the first target's inode.
      if (target->type == NodeType::kHardlink) n.link = target->link;
      break;
    }
    case '2':
      n.type = NodeType::kSymlink;
      n.link = e.linkname;
      break;
    case '3':
      n.type = NodeType::kChar;
      break;
    case '4':
      n.type = NodeType::kBlock;
      break;
    case '5':
      n.type = NodeType::kDirectory;
      break;
    case '6':
      n.type = NodeType::kFifo;
      break;
    default:
      return MakeError(ErrorKind::kUnsupported, "'{}' has unsupported type '{}'", path,
                       std::string(1, e.type));
  }
  if (n.type == NodeType::kChar || n.type == NodeType::kBlock) {
    n.devmajor = e.devmajor;
    n.devminor = e.devminor;
  }
  if (n.type == NodeType::kDirectory) {
    // ".wh..wh..opq" may precede the directory entry only through an implicit parent.
    auto it = tree_.index.find(n.path);
    if (it != tree_.index.end() && tree_.nodes[it->second].opaque) n.opaque = true;
  }
  return Insert(std::move(n));
}

Result<ExpectedTree> ExpectedTreeBuilder::Finish() && { return std::move(tree_); }

}  // namespace verified::content
