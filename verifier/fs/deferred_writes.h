// Writes a decision asks for instead of making them.
//
// A create decision keeps caches (signature verifications, the signed statement, layer content
// fingerprints) and raises the signed policy's high-water mark. Run in the runtime's sandbox
// (shim/sandbox.h) it may not write anything: it records each write here, sends them with its
// answer, and the parent makes them (verifier/decision/state_updates.h).
#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "verifier/core/result.h"

namespace verified {

/// One whole-file replacement a decision asked for (always mode 0600, written atomically).
struct DeferredWrite {
  std::string path;
  std::string content;
};

/// The writes of one decision, in the order asked. Thread-safe: content verification writes
/// from its worker threads.
class DeferredWrites {
 public:
  /// Records a write of `content` to `path`.
  void Add(std::string path, std::string content);
  /// The writes recorded so far (and forgets them).
  std::vector<DeferredWrite> Take();

 private:
  std::mutex mu_;
  std::vector<DeferredWrite> writes_;
};

/// WriteFileAtomic(path, content, 0600) when `defer` is null; otherwise records the write in
/// `defer` and succeeds without touching the file system.
Status WritePrivateOrDefer(DeferredWrites* defer, const std::string& path,
                           std::string_view content);

}  // namespace verified
