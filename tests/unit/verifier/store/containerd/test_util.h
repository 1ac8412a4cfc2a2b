// Helpers for the containerd store tests: temp dirs, files, gzip fixtures.
#pragma once

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace verified::testing {

/// A temp directory removed at destruction.
class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/vfy-ctd-test.XXXXXX";
    path_ = mkdtemp(tmpl);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& rel) const { return path_ + "/" + rel; }

 private:
  std::string path_;
};

inline void WriteFile(const std::string& path, const std::string& bytes) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

inline std::string Gunzip(const std::string& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  std::string out;
  if (f == nullptr) return out;
  char buf[65536];
  int n;
  while ((n = gzread(f, buf, sizeof(buf))) > 0) out.append(buf, static_cast<size_t>(n));
  gzclose(f);
  return out;
}

/// Directory of the checked-in containerd fixtures, or $VERIFIED_CONTAINERD_FIXTURES (the e2e
/// test points it at fixtures it just regenerated with the installed containerd).
inline std::string FixtureDir() {
  if (const char* env = getenv("VERIFIED_CONTAINERD_FIXTURES"); env && *env) return env;
  std::string here = __FILE__;  // <source>/tests/unit/verifier/store/containerd/test_util.h
  return here.substr(0, here.rfind("/tests/unit/")) + "/tests/fixtures/containerd";
}

}  // namespace verified::testing
