// What a decision is asked about: a container being created (the runtime, the hook) or one that
// exists already (verifiedctl explain and audit). verifiedctl check asks about an image alone
// (DecideImage in verifier/decision/decide.h).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "verifier/fs/deferred_writes.h"

namespace verified {

class Store;

/// A container about to be created, as the runtime (or the hook) got it from its caller.
struct CreateRequest {
  std::string container_id;
  std::string bundle_dir;  ///< absolute
  std::string config_dir;
  /// The state dir (verifier/config/state_dir.h; "" = kDefaultStateDir): where the signed
  /// policy's high-water mark is read and raised.
  std::string state_dir;
  /// The time the signed policy's expiry is judged at, Unix seconds; 0 = the system clock.
  int64_t now_unix = 0;
  std::string command = "create";  ///< create | run | restore
  /// runc's --root for this container ("" = runc's default, verifier/decision/runc_state.h):
  /// where a pod sandbox's runc state is found for the namespace-join rules.
  std::string runtime_root;
  /// The host-wide seal index (verifier/seal/seal_index.h); "" = kDefaultSealDir.
  std::string seal_dir;
  /// Mount table to use: "" = the live kernel (statmount of root.path, else mountinfo); a
  /// path = a mountinfo-format file (tests).
  std::string mountinfo_path;
  /// False when the caller will never see an `exec` into the container (verified-hook: no
  /// runtime calls a hook on exec). An enforced seal then needs the entry verified-runtime
  /// wrote for this container in the seal index (it created the container and will refuse its
  /// execs); without one the container fails its `sealed` requirement.
  bool sees_exec = true;
  /// When set, the decision writes nothing: the mark raise and the cache writes it would make
  /// are recorded here (a sandboxed decision; its parent makes them with
  /// verifier/decision/state_updates.h ApplyDeferredWrite).
  DeferredWrites* defer_writes = nullptr;
  /// The stores to resolve the image through: null = every engine's (AllStores). Tests set it
  /// to act at the moment a decision resolves its image.
  const std::vector<std::unique_ptr<Store>>* stores = nullptr;
};

/// A container that exists already, located by its engine (ctl/container_enumerator.h). It is
/// decided exactly as at its create, from its real bundle; what cannot be known for a container
/// that is not running (no mount, maybe no bundle) is skipped and said in Decision::notes.
struct ExistingContainer {
  std::string container_id;
  /// Its OCI bundle (holding config.json), "" when the engine keeps none (not running).
  std::string bundle_dir;
  /// The root filesystem as the engine records it: used when there is no readable bundle.
  std::string rootfs;
  /// Running: the rootfs is mounted and cross-checked against the mount table. Otherwise the
  /// mount cross-check is skipped (and said).
  bool running = false;
  /// The image as the engine recorded it when typed ("" = unknown): shown when the image
  /// cannot be proven.
  std::string image_typed;
  std::string config_dir;
  std::string state_dir;  ///< "" = kDefaultStateDir; the mark is read, never raised
  /// runc's --root the container was created under; "" = unknown: the pod-sandbox exception of
  /// the namespace-join rules cannot then be proven, so rule 2 is skipped (and said).
  std::string runtime_root;
  std::string seal_dir;  ///< "" = kDefaultSealDir
  std::string mountinfo_path = "/proc/self/mountinfo";
};

}  // namespace verified
