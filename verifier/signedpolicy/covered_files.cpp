#include "verifier/signedpolicy/covered_files.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <cerrno>

#include "verifier/crypto/sha256.h"
#include "verifier/fs/dir.h"
#include "verifier/fs/trusted_file.h"
#include "verifier/signedpolicy/policy_statement.h"

namespace verified::signedpolicy {
namespace {

constexpr int kMaxDepth = 8;

Status AddFile(const std::string& config_dir, const std::string& rel, FileDigests& out) {
  if (out.size() >= kMaxStatementFiles) {
    return MakeError(ErrorKind::kTooLarge, "{}: more than {} covered files", config_dir,
                     kMaxStatementFiles);
  }
  // Read through the trust check on the open file: the bytes hashed are the bytes judged.
  VERIFIED_ASSIGN_OR_RETURN(std::string bytes,
                            ReadTrustedFile(config_dir + "/" + rel, kMaxCoveredFileBytes));
  out.emplace(rel, Sha256Digest(bytes));
  return Ok();
}

Status Walk(const std::string& config_dir, const std::string& rel, int depth, FileDigests& out) {
  if (depth > kMaxDepth) {
    return MakeError(ErrorKind::kTooLarge, "{}/{}: deeper than {} levels", config_dir, rel,
                     kMaxDepth);
  }
  std::string path = config_dir + "/" + rel;
  VERIFIED_RETURN_IF_ERROR(CheckTrustedPath(path));
  VERIFIED_ASSIGN_OR_RETURN(Dir dir, Dir::Open(path));
  VERIFIED_ASSIGN_OR_RETURN(std::vector<std::string> names, dir.List("", kMaxStatementFiles + 1));
  for (const auto& name : names) {
    VERIFIED_ASSIGN_OR_RETURN(struct stat st, dir.Lstat(name));
    std::string child = rel + "/" + name;
    if (S_ISDIR(st.st_mode)) {
      VERIFIED_RETURN_IF_ERROR(Walk(config_dir, child, depth + 1, out));
    } else {
      VERIFIED_RETURN_IF_ERROR(AddFile(config_dir, child, out));
    }
  }
  return Ok();
}

}  // namespace

Result<FileDigests> CollectCoveredFiles(const std::string& config_dir, bool registrations) {
  FileDigests out;
  VERIFIED_RETURN_IF_ERROR(CheckTrustedPath(config_dir));
  VERIFIED_RETURN_IF_ERROR(AddFile(config_dir, "policy.json", out));
  for (const char* top : {"images", "keys", "policy-keys"}) {
    if (!registrations && std::string_view(top) == "images") continue;
    struct stat st;
    std::string path = config_dir + "/" + top;
    if (lstat(path.c_str(), &st) != 0 && errno == ENOENT) continue;
    VERIFIED_RETURN_IF_ERROR(Walk(config_dir, top, 1, out));
  }
  return out;
}

FileDigests OutsideRegistrations(const FileDigests& files) {
  FileDigests out;
  for (const auto& [path, digest] : files) {
    if (path.rfind("images/", 0) != 0) out.emplace_hint(out.end(), path, digest);
  }
  return out;
}

std::string DescribeDifference(const FileDigests& signed_files, const FileDigests& actual) {
  std::string first;
  size_t count = 0;
  auto note = [&](const std::string& path, const char* what) {
    if (count++ == 0) first = path + " " + what;
  };
  auto s = signed_files.begin();
  auto a = actual.begin();
  while (s != signed_files.end() || a != actual.end()) {
    if (a == actual.end() || (s != signed_files.end() && s->first < a->first)) {
      note(s->first, "was removed");
      ++s;
    } else if (s == signed_files.end() || a->first < s->first) {
      note(a->first, "was added");
      ++a;
    } else {
      if (s->second != a->second) note(s->first, "changed");
      ++s;
      ++a;
    }
  }
  if (count <= 1) return first;
  return fmt::format("{} (and {} more difference{})", first, count - 1, count == 2 ? "" : "s");
}

}  // namespace verified::signedpolicy
