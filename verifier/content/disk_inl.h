// Template definitions for disk.h.
#pragma once

#include <unistd.h>

#include <cerrno>

#include "verifier/fs/dir.h"

namespace verified::content {

template <typename Fn>
Result<uint64_t> StreamFile(int fd, uint64_t size, char* buf, size_t buflen, Fn&& fn) {
  uint64_t done = 0;
  while (done < size) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(buflen, size - done));
    ssize_t n = read(fd, buf, want);
    if (n < 0) {
      if (errno == EINTR) continue;
      return SysError(errno, "read");
    }
    if (n == 0) break;
    fn(buf, static_cast<size_t>(n));
    done += static_cast<uint64_t>(n);
  }
  return done;
}

}  // namespace verified::content
