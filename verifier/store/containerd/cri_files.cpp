#include "verifier/store/containerd/cri_files.h"

#include "verifier/image/digest.h"
#include "verifier/store/containerd/containerd_store.h"
#include "verifier/store/containerd/metadata_db.h"

namespace verified::containerd {
namespace {

// Whether `c.sandbox_id` really is this container's pod sandbox, as far as containerd's own
// records can tell. The annotation is caller-supplied (ctr can set any), so it is accepted
// only when it names the container itself (a proven sandbox) or a sandbox record of the same
// namespace: a caller cannot then point the check at a directory of its choosing.
Result<std::string> SandboxProblem(const bbolt::Db& meta, const CriContainer& c) {
  if (!IsHex64(c.sandbox_id)) {
    return fmt::format("its {} annotation '{}' is not a sandbox id", kAnnotationSandboxId,
                       c.sandbox_id);
  }
  if (c.sandbox) {
    if (c.sandbox_id == c.bundle.id) return std::string();
    return fmt::format("the sandbox's {} annotation names another sandbox, {}",
                       kAnnotationSandboxId, c.sandbox_id);
  }
  VERIFIED_ASSIGN_OR_RETURN(std::optional<ContainerRecord> rec,
                            meta.View<std::optional<ContainerRecord>>([&](bbolt::Tx& tx) {
                              return ReadContainer(tx, c.bundle.ns, c.sandbox_id);
                            }));
  if (!rec) return fmt::format("its sandbox {} has no record in meta.db", c.sandbox_id);
  auto kind = rec->labels.find(kLabelKind);
  if (kind == rec->labels.end() || kind->second != "sandbox") {
    return fmt::format("container {} named as its sandbox is not a sandbox", c.sandbox_id);
  }
  return std::string();
}

}  // namespace

Result<EngineFiles> CriFiles(const bbolt::Db& meta, const CriContainer& c, std::string* note) {
  EngineFiles files;
  if (c.kind != "sandbox" && c.kind != "container") {
    *note = "not a CRI container: containerd binds none of its own files";
    return files;
  }
  VERIFIED_ASSIGN_OR_RETURN(std::string problem, SandboxProblem(meta, c));
  if (!problem.empty()) {
    *note = "CRI container, but " + problem + ": none of CRI's files are listed as its own";
    return files;
  }
  std::string root = c.root + "/" + kCriPluginId;
  std::string state = c.bundle.state_dir + "/" + kCriPluginId;
  AddEnginePath(files.container_dirs, root + "/sandboxes/" + c.sandbox_id);
  AddEnginePath(files.container_dirs, state + "/sandboxes/" + c.sandbox_id);
  AddEnginePath(files.volume_dirs, root + "/containers/" + c.bundle.id + "/volumes");
  *note = fmt::format("CRI files of sandbox {} (hostname, hosts, resolv.conf, shm) are its own",
                      c.sandbox_id);
  return files;
}

}  // namespace verified::containerd
