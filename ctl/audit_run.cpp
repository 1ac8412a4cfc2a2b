#include "ctl/audit_run.h"

#include <atomic>
#include <climits>
#include <cstdlib>
#include <thread>

#include "verifier/bundle/mountinfo.h"
#include "verifier/bundle/spec.h"
#include "verifier/fs/dir.h"
#include "verifier/image/digest.h"
#include "verifier/image/reference.h"
#include "verifier/store/stores.h"

namespace verified::ctl {
namespace {

using Stores = std::vector<std::unique_ptr<Store>>;

// The names a list entry is matched against: what was typed (when it is a name) and every
// name storage holds for the proven image.
std::vector<Reference> ListNames(const FoundContainer& c, const ResolvedImage* img) {
  std::vector<Reference> out;
  auto add = [&](const std::string& s) {
    if (s.empty() || ParseImageId(s)) return;
    auto ref = ParseReference(s);
    if (ref.ok() && std::find(out.begin(), out.end(), *ref) == out.end()) out.push_back(*ref);
  };
  add(c.image_typed);
  if (img != nullptr) {
    add(img->typed_reference);
    for (const auto& n : img->names) add(n);
  }
  return out;
}

Verdict ListVerdict(const AuditSettings& s, const FoundContainer& c, const ResolvedImage* img) {
  Verdict v;
  v.mode = Mode::kEnforce;
  v.image = !c.image_typed.empty() ? c.image_typed : img != nullptr ? img->image_id : "";
  v.image_id = img != nullptr ? img->image_id : "";
  bool white = s.mode == AuditMode::kWhitelist;
  const char* kind = white ? "whitelist" : "blacklist";
  std::string file = s.list->path.empty() ? std::string("the image list") : s.list->path;
  auto names = ListNames(c, img);
  const ImageListEntry* hit = MatchImageList(*s.list, names);
  if (hit != nullptr) {
    v.rule = fmt::format("{} line {} '{}'", kind, hit->line, hit->text);
    v.decision = white ? Action::kAllow : Action::kDeny;
    v.reason = fmt::format("listed in the {} {} (line {}: {})", kind, file, hit->line, hit->text);
  } else {
    v.rule = kind;
    v.decision = white ? Action::kDeny : Action::kAllow;
    v.reason = fmt::format("not listed in the {} {}{}", kind, file,
                           names.empty() ? " (the image has no name)" : "");
  }
  return v;
}

int64_t ReadLayerSize(const Dir& layerdb, const std::string& chain_id) {
  if (!IsSha256Digest(chain_id)) return -1;
  auto text = layerdb.ReadFile("sha256/" + std::string(DigestHex(chain_id)) + "/size", 32);
  if (!text.ok() || text->empty()) return -1;
  char* end = nullptr;
  long long v = strtoll(text->c_str(), &end, 10);
  return end != nullptr && *end == '\0' && v >= 0 ? v : -1;
}

std::vector<AuditLayer> Layers(const ResolvedImage& img) {
  std::vector<AuditLayer> out;
  // Docker's layerdb records each layer's size; other stores leave it unknown.
  std::optional<Dir> layerdb;
  if (img.engine == "docker-overlay2" && !img.store_root.empty()) {
    auto root = Dir::Open(img.store_root);
    if (root.ok()) {
      auto db = root->OpenDir("image/overlay2/layerdb");
      if (db.ok()) layerdb = std::move(db).value();
    }
  }
  for (size_t i = 0; i < img.diff_ids.size(); ++i) {
    AuditLayer l{img.diff_ids[i], i < img.chain_ids.size() ? img.chain_ids[i] : "", -1};
    if (layerdb) l.size = ReadLayerSize(*layerdb, l.chain_id);
    out.push_back(std::move(l));
  }
  return out;
}

// The runtime stops at the first refusal, so a container a rule denies never shows what the
// host baseline thinks of it; an administrator cleaning up wants every reason at once.
void AddBaselineFindings(const Policy& policy, const ResolvedImage& img, const Spec* spec,
                         const RegistrationStore& regs, Verdict& v) {
  if (v.decision != Action::kDeny || v.rule == "the host baseline" || v.rule == "error") return;
  CheckContext ctx{img, nullptr, false, nullptr, spec, regs};
  for (const auto& req : policy.baseline) {
    Finding f = req->Check(ctx);
    if (f.outcome != Outcome::kFail) continue;
    f.requirement = "baseline " + f.requirement;
    v.findings.push_back(std::move(f));
  }
}

std::string ExistingRealPath(const std::string& path) {
  char buf[PATH_MAX];
  return realpath(path.c_str(), buf) != nullptr ? std::string(buf) : path;
}

AuditRow AuditOne(const FoundContainer& c, const AuditSettings& s,
                  const std::vector<MountEntry>* mounts, const Stores& stores) {
  AuditRow row;
  row.container = c;
  row.notes = c.notes;
  std::optional<Spec> spec;
  std::string rootfs = c.rootfs.empty() ? "" : ExistingRealPath(c.rootfs);
  if (!c.bundle.empty()) {
    auto loaded = LoadSpec(c.bundle);
    if (loaded.ok()) {
      spec = std::move(loaded).value();
      auto root = ResolveRootPath(c.bundle, *spec);
      if (root.ok()) {
        rootfs = *root;
      } else {
        row.notes.push_back("root.path of the spec: " + root.error().What());
      }
    } else {
      row.notes.push_back("OCI spec unreadable: " + loaded.error().What());
    }
  }
  if (c.running && !spec) row.notes.push_back("spec requirements not evaluated (no OCI spec)");
  ContainerContext cc{c.id, c.bundle, spec ? &*spec : nullptr, rootfs,
                      c.running ? mounts : nullptr};
  Result<ResolvedImage> img =
      rootfs.empty() ? Result<ResolvedImage>(MakeError(
                           ErrorKind::kNotFound, "the engine reports no root filesystem path"))
                     : ResolveImage(cc, stores);
  if (img.ok()) row.image = *img;
  if (s.mode == AuditMode::kPolicy) {
    RegistrationStore regs(s.config_dir);
    row.verdict = img.ok() ? Evaluate(*s.policy, *img, spec ? &*spec : nullptr, regs)
                           : VerdictForError(img.error(), s.policy->mode, c.image_typed);
    if (img.ok()) AddBaselineFindings(*s.policy, *img, spec ? &*spec : nullptr, regs, row.verdict);
  } else {
    row.verdict = ListVerdict(s, c, img.ok() ? &*img : nullptr);
    if (!img.ok()) row.notes.push_back("image not proven: " + img.error().What());
  }
  row.have_spec = spec.has_value();
  row.compliant = row.verdict.decision == Action::kAllow;
  if (s.layers && row.image) row.layers = Layers(*row.image);
  return row;
}

}  // namespace

const char* AuditModeName(AuditMode m) {
  switch (m) {
    case AuditMode::kPolicy:
      return "policy";
    case AuditMode::kWhitelist:
      return "whitelist";
    case AuditMode::kBlacklist:
      return "blacklist";
  }
  return "?";
}

std::vector<AuditRow> AuditContainers(const std::vector<FoundContainer>& containers,
                                      const AuditSettings& settings) {
  std::vector<AuditRow> rows(containers.size());
  std::optional<std::vector<MountEntry>> mounts;
  bool any_running = std::any_of(containers.begin(), containers.end(),
                                 [](const FoundContainer& c) { return c.running; });
  std::string mount_error;
  if (any_running) {
    auto m = ReadMountinfo(settings.mountinfo_path);
    if (m.ok()) {
      mounts = std::move(m).value();
    } else {
      mount_error = "mount table unreadable, rootfs cross-check skipped: " + m.error().What();
    }
  }
  std::atomic<size_t> next{0};
  auto work = [&] {
    Stores stores = AllStores();  // one set per thread: resolvers need not be thread-safe
    for (size_t i = next++; i < containers.size(); i = next++) {
      rows[i] = AuditOne(containers[i], settings, mounts ? &*mounts : nullptr, stores);
      if (!mount_error.empty() && containers[i].running) rows[i].notes.push_back(mount_error);
    }
  };
  size_t n = std::min<size_t>(settings.workers < 1 ? 1 : settings.workers, containers.size());
  std::vector<std::thread> threads;
  for (size_t t = 1; t < n; ++t) threads.emplace_back(work);
  work();
  for (auto& t : threads) t.join();
  return rows;
}

std::vector<std::string> AuditReasons(const Verdict& v) {
  std::vector<std::string> out;
  if (v.decision == Action::kAllow) {
    out.push_back(v.reason);
    return out;
  }
  out.push_back(v.reason);
  bool first_counted = false;
  for (const auto& f : v.findings) {
    if (f.outcome != Outcome::kFail) continue;
    std::string text = f.requirement + ": " + f.message;
    // The reason already quotes the first failing finding.
    if (!first_counted && v.reason.find(f.message) != std::string::npos) {
      first_counted = true;
      continue;
    }
    out.push_back(text);
  }
  return out;
}

}  // namespace verified::ctl
