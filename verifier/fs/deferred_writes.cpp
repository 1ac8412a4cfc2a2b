#include "verifier/fs/deferred_writes.h"

#include "verifier/fs/atomic_file.h"

namespace verified {

void DeferredWrites::Add(std::string path, std::string content) {
  std::lock_guard<std::mutex> lock(mu_);
  writes_.push_back({std::move(path), std::move(content)});
}

std::vector<DeferredWrite> DeferredWrites::Take() {
  std::lock_guard<std::mutex> lock(mu_);
  return std::exchange(writes_, {});
}

Status WritePrivateOrDefer(DeferredWrites* defer, const std::string& path,
                           std::string_view content) {
  if (defer == nullptr) return WriteFileAtomic(path, content, 0600);
  defer->Add(path, std::string(content));
  return Ok();
}

}  // namespace verified
