#include "verifier/content/shell_scan.h"

#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>

#include "verifier/content/multicall.h"
#include "verifier/fs/dir.h"

namespace verified {
namespace {

std::string_view BaseName(std::string_view path) {
  auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string Join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : std::string(sep)) + s;
  return out;
}

std::string Describe(const MultiCallInfo& info) {
  std::string name = info.kind == "busybox" ? "BusyBox" : "Toybox";
  if (!info.applets_known) {
    return name + " multi-call binary whose applet list cannot be read (counted as a shell)";
  }
  return name + " multi-call binary with the shell applet" +
         (info.shell_applets.size() > 1 ? "s " : " ") + Join(info.shell_applets, ", ");
}

// Maps a file read-only for inspection; unmaps on destruction.
class Mapping {
 public:
  Mapping(void* p, size_t n) : p_(p), n_(n) {}
  ~Mapping() {
    if (p_ != MAP_FAILED && p_ != nullptr) munmap(p_, n_);
  }
  std::string_view bytes() const { return {static_cast<const char*>(p_), n_}; }

 private:
  void* p_;
  size_t n_;
};

class Scanner {
 public:
  Scanner(const MergedTree& tree, const ShellScanOptions& opts) : tree_(tree), opts_(opts) {}

  Result<std::vector<ShellHit>> Run() {
    std::vector<ShellHit> hits;
    for (const auto& [rel, e] : tree_.entries()) {
      std::vector<std::string> why;
      std::string_view base = BaseName(rel);
      if (IsShellName(base)) {
        why.push_back(e.IsSymlink() ? "shell name, symlink to " + e.link_target : "shell name");
      }
      if (e.IsSymlink() || e.IsExecutable()) {
        for (const auto& interp : opts_.interpreters) {
          if (MatchesInterpreter(base, interp)) {
            why.push_back("interpreter '" + interp + "' listed in the policy");
            break;
          }
        }
      }
      if (e.IsExecutable() || (e.IsRegular() && (base == "busybox" || base == "toybox"))) {
        VERIFIED_ASSIGN_OR_RETURN(MultiCallInfo info, Inspect(rel, e));
        if (info.ProvidesShell()) why.push_back(Describe(info));
      }
      if (!why.empty()) hits.push_back({AbsPath(rel), Join(why, "; ")});
    }
    return hits;
  }

 private:
  Result<MultiCallInfo> Inspect(const std::string& rel, const MergedEntry& e) {
    if (e.size < 4) return MultiCallInfo{};
    if (e.size > opts_.limits.max_file_bytes) {
      return MakeError(ErrorKind::kTooLarge,
                       "cannot rule out a shell in {}: {} bytes exceed the content-scan limit of "
                       "{} bytes per file",
                       AbsPath(rel), e.size, opts_.limits.max_file_bytes);
    }
    auto it = layers_.find(e.layer);
    if (it == layers_.end()) {
      VERIFIED_ASSIGN_OR_RETURN(Dir layer, Dir::Open(tree_.LayerDir(e.layer)));
      it = layers_.emplace(e.layer, std::move(layer)).first;
    }
    VERIFIED_ASSIGN_OR_RETURN(int fd, it->second.OpenFile(rel));
    struct stat st;
    if (fstat(fd, &st) != 0) {
      int saved = errno;
      close(fd);
      return SysError(saved, "stat " + AbsPath(rel));
    }
    char magic[4];
    bool elf = pread(fd, magic, 4, 0) == 4 && magic[0] == 0x7f && magic[1] == 'E' &&
               magic[2] == 'L' && magic[3] == 'F';
    auto size = static_cast<uint64_t>(st.st_size);
    if (!elf || size == 0) {
      close(fd);
      return MultiCallInfo{};
    }
    // Re-check on the opened file: the layer may have changed since the merge.
    if (size > opts_.limits.max_file_bytes || total_ + size > opts_.limits.max_total_bytes) {
      close(fd);
      return MakeError(ErrorKind::kTooLarge,
                       "cannot rule out a shell in {}: the image's executables exceed the "
                       "content-scan limits ({} bytes per file, {} in total)",
                       AbsPath(rel), opts_.limits.max_file_bytes, opts_.limits.max_total_bytes);
    }
    total_ += size;
    // MAP_POPULATE: one kernel pass fills the page tables instead of a fault per page.
    void* p = mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    int saved = errno;
    close(fd);
    if (p == MAP_FAILED) return SysError(saved, "map " + AbsPath(rel));
    Mapping m(p, size);
    return InspectMultiCall(m.bytes());
  }

  const MergedTree& tree_;
  const ShellScanOptions& opts_;
  std::map<size_t, Dir> layers_;  // each layer directory opened once
  uint64_t total_ = 0;
};

}  // namespace

const std::vector<std::string>& ShellNames() {
  static const std::vector<std::string> kNames = {"sh",   "bash", "rbash", "dash", "ash",  "hush",
                                                  "zsh",  "ksh",  "ksh93", "mksh", "lksh", "pdksh",
                                                  "oksh", "csh",  "tcsh",  "fish", "yash", "posh"};
  return kNames;
}

bool IsShellName(std::string_view base) {
  const auto& names = ShellNames();
  return std::find(names.begin(), names.end(), base) != names.end();
}

bool MatchesInterpreter(std::string_view base, std::string_view interpreter) {
  if (interpreter.empty() || base.rfind(interpreter, 0) != 0) return false;
  auto rest = base.substr(interpreter.size());
  return std::all_of(rest.begin(), rest.end(),
                     [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
}

Result<std::vector<ShellHit>> FindShells(const MergedTree& tree, const ShellScanOptions& options) {
  return Scanner(tree, options).Run();
}

}  // namespace verified
