// Fuzz target: the sealed checks over an untrusted config.json (process, mounts, capabilities,
// namespaces, seccomp profile), against a fixed image intent and a small merged tree.
#include <sys/stat.h>

#include <cstdint>
#include <string_view>

#include "verifier/bundle/spec.h"
#include "verifier/checks/sealed_image.h"
#include "verifier/checks/sealed_mounts.h"
#include "verifier/checks/sealed_privileges.h"
#include "verifier/checks/sealed_process.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace verified;
  auto spec = ParseSpec(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!spec.ok()) return 0;
  static const MergedTree tree = [] {
    std::map<std::string, MergedEntry> e;
    MergedEntry exe;
    exe.mode = S_IFREG | 0755;
    e["app/server"] = exe;
    MergedEntry link;
    link.mode = S_IFLNK | 0777;
    link.link_target = "../app";
    e["srv/app"] = link;
    return MergedTree::FromEntries(e, {});
  }();
  static const SealedOptions opts = *ParseSealedOptions(true);
  ResolvedImage ri;
  ri.config = {{"config", {{"Entrypoint", {"/app/server"}}, {"User", "1000"}}}};
  auto intent = ReadImageIntent(ri, tree, opts);
  if (!intent.ok()) return 0;
  (void)CheckSealedProcess(spec->raw, *intent, opts);
  (void)CheckSealedMounts(spec->raw, *intent, tree, EngineFiles{}, opts);
  (void)CheckSealedPrivileges(spec->raw, opts, HostFacts{});
  return 0;
}
