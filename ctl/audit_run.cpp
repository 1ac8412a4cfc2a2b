#include "ctl/audit_run.h"

#include <atomic>
#include <climits>
#include <cstdlib>
#include <thread>

#include "verifier/bundle/mountinfo.h"
#include "verifier/bundle/spec.h"
#include "verifier/decision/decide.h"
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
    v.kind = RuleKind::kImageList;
    v.decision = white ? Action::kAllow : Action::kDeny;
    v.reason = fmt::format("listed in the {} {} (line {}: {})", kind, file, hit->line, hit->text);
  } else {
    v.rule = kind;
    v.kind = RuleKind::kImageList;
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
  if (v.decision != Action::kDeny || v.kind == RuleKind::kBaseline || v.kind == RuleKind::kError) {
    return;
  }
  CheckContext ctx{img, nullptr, false, nullptr, spec, regs};
  for (const auto& req : policy.baseline) {
    Finding f = req->Check(ctx);
    if (f.outcome != Outcome::kFail) continue;
    f.requirement = "baseline " + f.requirement;
    v.findings.push_back(std::move(f));
  }
}

ExistingContainer ExistingFor(const FoundContainer& c, const AuditSettings& s) {
  ExistingContainer e;
  e.container_id = c.id;
  e.bundle_dir = c.bundle;
  e.rootfs = c.rootfs;
  e.running = c.running;
  e.image_typed = c.image_typed;
  e.config_dir = s.config_dir;
  e.seal_dir = s.seal_dir;
  e.state_dir = s.state_dir;
  e.mountinfo_path = s.mountinfo_path;
  return e;
}

// List modes: the image is proven by the runtime's own decision (same bundle, store resolvers
// and mount cross-check), under a policy with no rules whose verdict is not used; the list
// decides.
AuditRow ListAuditOne(const FoundContainer& c, const AuditSettings& s,
                      const std::vector<MountEntry>* mounts, const Stores& stores) {
  static const Policy kNoRules;
  // The list decides, not the policy: whether it is signed does not matter here.
  static const signedpolicy::SignedPolicyCheck kNotRequired;
  AuditRow row;
  row.container = c;
  row.notes = c.notes;
  Decision d = Decide(ExistingFor(c, s), SharedInputs{&kNoRules, &kNotRequired, mounts, &stores});
  row.image = d.image;
  row.have_spec = d.spec != nullptr;
  row.verdict = ListVerdict(s, c, row.image ? &*row.image : nullptr);
  if (!row.image) row.notes.push_back("image not proven: " + d.verdict.reason);
  return row;
}

// Policy mode: the runtime's own decision (verifier/decision/decide.h) on the container's real
// bundle, plus the baseline findings the runtime would not reach.
AuditRow PolicyAuditOne(const FoundContainer& c, const AuditSettings& s,
                        const std::vector<MountEntry>* mounts, const Stores& stores) {
  AuditRow row;
  row.container = c;
  row.notes = c.notes;
  Decision d = Decide(ExistingFor(c, s), SharedInputs{s.policy, s.signed_policy, mounts, &stores});
  row.notes.insert(row.notes.end(), d.notes.begin(), d.notes.end());
  row.image = d.image;
  row.have_spec = d.spec != nullptr;
  row.verdict = std::move(d.verdict);
  if (row.image) {
    RegistrationStore regs(s.config_dir);
    AddBaselineFindings(*s.policy, *row.image, d.spec.get(), regs, row.verdict);
  }
  return row;
}

AuditRow AuditOne(const FoundContainer& c, const AuditSettings& s,
                  const std::vector<MountEntry>* mounts, const Stores& stores) {
  AuditRow row = s.mode == AuditMode::kPolicy ? PolicyAuditOne(c, s, mounts, stores)
                                              : ListAuditOne(c, s, mounts, stores);
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
      // In policy mode the decision itself notes an unreadable mount table.
      if (!mount_error.empty() && containers[i].running && settings.mode != AuditMode::kPolicy) {
        rows[i].notes.push_back(mount_error);
      }
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
