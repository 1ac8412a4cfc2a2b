#include "verifier/store/containerd/containerd_store.h"

#include <climits>
#include <cstdlib>

#include "verifier/store/containerd/chain_match.h"
#include "verifier/store/containerd/containerd_image.h"
#include "verifier/store/containerd/containerd_root.h"
#include "verifier/store/containerd/cri_files.h"
#include "verifier/store/containerd/limits.h"
#include "verifier/store/containerd/snapshot_chain.h"
#include "verifier/store/containerd/snapshot_mount.h"

namespace verified {
namespace containerd {

Result<bool> IsPodSandbox(const std::string& annotation, const std::string& label) {
  bool by_annotation = annotation == "sandbox";
  bool by_label = label == "sandbox";
  if (by_annotation != by_label) {
    return MakeError(ErrorKind::kInconsistent,
                     "the spec annotation {}='{}' and containerd's record label {}='{}' disagree "
                     "about whether this is a pod sandbox",
                     kAnnotationContainerType, annotation, kLabelKind, label);
  }
  return by_annotation;
}

namespace {

std::string RealPath(const std::string& p) {
  char buf[PATH_MAX];
  return realpath(p.c_str(), buf) != nullptr ? std::string(buf) : std::string();
}

// Everything after "this rootfs is a containerd task's": any failure is an error (deny).
Result<ResolvedImage> ResolveTask(const ContainerContext& ctx, const TaskBundle& tb) {
  if (tb.id != ctx.container_id) {
    return MakeError(ErrorKind::kInconsistent,
                     "bundle is for container '{}', runc was asked for '{}'", tb.id,
                     ctx.container_id);
  }
  VERIFIED_ASSIGN_OR_RETURN(std::string root, RootFromBundle(ctx.bundle_dir, tb));
  VERIFIED_ASSIGN_OR_RETURN(ContainerdFiles files, ContainerdFiles::Open(root));
  VERIFIED_ASSIGN_OR_RETURN(std::optional<ContainerRecord> rec,
                            files.meta.View<std::optional<ContainerRecord>>(
                                [&](bbolt::Tx& tx) { return ReadContainer(tx, tb.ns, tb.id); }));
  if (!rec) {
    return MakeError(ErrorKind::kNotFound, "containerd has no container '{}' in namespace {}",
                     tb.id, tb.ns);
  }
  if (rec->snapshotter != "overlayfs" || rec->snapshot_key.empty()) {
    return MakeError(ErrorKind::kUnsupported,
                     "container uses snapshotter '{}' with snapshot key '{}': only overlayfs "
                     "snapshots can be proven",
                     rec->snapshotter, rec->snapshot_key);
  }
  const Spec* spec = ctx.spec;
  auto annotation = [&](const char* key) { return spec ? spec->Annotation(key) : std::string(); };
  auto label = rec->labels.find(kLabelKind);
  VERIFIED_ASSIGN_OR_RETURN(
      bool sandbox, IsPodSandbox(annotation(kAnnotationContainerType),
                                 label == rec->labels.end() ? std::string() : label->second));

  VERIFIED_ASSIGN_OR_RETURN(bbolt::Db snaps, files.OpenSnapshotDb());
  VERIFIED_ASSIGN_OR_RETURN(
      std::vector<ChainLink> links,
      ResolveLineage(files.meta, snaps, tb.ns, "overlayfs", rec->snapshot_key));
  if (links.front().kind != SnapshotKind::kActive) {
    return MakeError(ErrorKind::kInconsistent, "the container's snapshot {} is {}, not active",
                     rec->snapshot_key, SnapshotKindName(links.front().kind));
  }
  std::vector<std::string> chain_keys;  // bottom first: the image's chainIDs
  for (auto it = links.rbegin(); it + 1 != links.rend(); ++it) {
    if (it->kind != SnapshotKind::kCommitted) {
      return MakeError(ErrorKind::kInconsistent, "parent snapshot {} is {}, not committed", it->key,
                       SnapshotKindName(it->kind));
    }
    chain_keys.push_back(it->key);
  }

  std::vector<std::string> offered;
  if (sandbox) offered.push_back(annotation(kAnnotationSandboxImageName));
  offered.push_back(annotation(kAnnotationImageName));
  offered.push_back(rec->image);
  VERIFIED_ASSIGN_OR_RETURN(ChainMatch match, MatchChain(files, tb.ns, offered, chain_keys));

  ResolvedImage img = ImageFromManifest("containerd", root, match.manifest);
  img.typed_reference = match.confirmed_name;
  img.typed_confirmed = !match.confirmed_name.empty();
  img.names = std::move(match.names);
  img.pod_sandbox = sandbox;
  for (auto& n : match.notes) img.notes.push_back(std::move(n));
  img.notes.push_back(fmt::format(
      "containerd root {} (from the bundle's work link), namespace {}, container record read "
      "from meta.db without its lock",
      root, tb.ns));
  img.notes.push_back(
      fmt::format("snapshot lineage of {} agrees in meta.db and the overlayfs "
                  "metadata.db: {} committed layers named by chainID",
                  rec->snapshot_key, chain_keys.size()));
  if (sandbox) img.notes.push_back("pod sandbox: annotation and containerd label agree");
  std::string files_note;
  CriContainer cri{root, tb, label == rec->labels.end() ? std::string() : label->second, sandbox,
                   annotation(kAnnotationSandboxId)};
  VERIFIED_ASSIGN_OR_RETURN(img.engine_files, CriFiles(files.meta, cri, &files_note));
  img.notes.push_back(std::move(files_note));
  VERIFIED_RETURN_IF_ERROR(AttachSnapshotLayers(
      root, files.SnapshotterRoot(), links, chain_keys, match.manifest, ctx.mounts, ctx.rootfs,
      "mount at root.path checked: overlay lowerdirs are the snapshot chain", img));
  return img;
}

}  // namespace
}  // namespace containerd

Result<std::optional<ResolvedImage>> ContainerdStore::Resolve(const ContainerContext& ctx) const {
  auto tb = containerd::ParseTaskBundle(ctx.bundle_dir);
  if (!tb) return std::optional<ResolvedImage>();
  // Docker (graphdriver or containerd store) also runs tasks in such bundles but mounts the
  // rootfs elsewhere; this resolver only claims the shim-mounted <bundle>/rootfs.
  std::string rootfs = containerd::RealPath(ctx.bundle_dir + "/rootfs");
  if (rootfs.empty() || rootfs != ctx.rootfs) return std::optional<ResolvedImage>();
  auto img = containerd::ResolveTask(ctx, *tb);
  if (!img.ok()) {
    return Wrap(std::move(img).error(), "containerd task {}/{}", tb->ns, tb->id);
  }
  return std::optional<ResolvedImage>(std::move(img).value());
}

}  // namespace verified
