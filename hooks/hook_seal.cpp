#include "hooks/hook_seal.h"

#include <sys/stat.h>

#include "shim/seal_guard.h"
#include "verifier/checks/requirement.h"
#include "verifier/checks/sealed.h"
#include "verifier/seal/seal_index.h"

namespace verified::hook {
namespace {

// Where the wrapper would have recorded the seal: "" when it did, else why not.
std::string MissingWrapperSeal(const Decision& d, const std::string& container_id,
                               const std::string& seal_dir) {
  struct stat st;
  if (d.rootfs.empty() || stat(d.rootfs.c_str(), &st) != 0) {
    return "cannot stat the container's root '" + d.rootfs + "'";
  }
  // The same key the wrapper writes (shim/seal_guard.cpp ApplySeal): root.path's identity.
  std::string name =
      RootEntryName(FileKey{static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino)});
  auto entry = ReadSealEntry(seal_dir, name);
  if (!entry.ok()) return "cannot read the seal index: " + entry.error().What();
  if (*entry && (*entry)->container_id == container_id) return "";
  return "sealed image: only verified-runtime can refuse exec into it, and it is not the "
         "runtime creating this container (verified-hook cannot see exec): run it with "
         "--runtime verified";
}

}  // namespace

void RequireWrapperForSeal(Decision& d, const std::string& container_id,
                           const std::string& seal_dir) {
  auto seal = shim::SealFor(d, container_id);
  if (!seal || seal->mode != "enforce") return;
  std::string missing = MissingWrapperSeal(d, container_id, seal_dir);
  if (missing.empty()) return;
  // As the wrapper fails a container's own seal (shim/seal_guard.cpp FailOwnSeal).
  d.verdict.decision = Action::kDeny;
  d.verdict.reason = d.verdict.rule + " requires " + kSealedRequirement + ": " + missing;
  d.verdict.findings.push_back(Fail(kSealedRequirement, missing));
}

}  // namespace verified::hook
