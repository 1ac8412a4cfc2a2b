// A temporary directory for one test, removed with everything in it afterwards.
#pragma once

#include <string>

namespace verified::testing {

/// Creates a fresh directory under $TMPDIR (or /tmp); removes it recursively on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  /// path() + "/" + rel
  std::string operator/(const std::string& rel) const { return path_ + "/" + rel; }

 private:
  std::string path_;
};

/// Writes `content` to `path`, creating parent directories.
void WriteFile(const std::string& path, const std::string& content, unsigned mode = 0644);

/// mkdir -p
void MakeDir(const std::string& path);

/// Reads a whole file ("" when missing).
std::string ReadFile(const std::string& path);

}  // namespace verified::testing
