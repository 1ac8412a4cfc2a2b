#include "ctl/verdict_print.h"

#include <fmt/format.h>

namespace verified::ctl {

const char* OutcomeName(Outcome o) {
  switch (o) {
    case Outcome::kPass:
      return "pass";
    case Outcome::kFail:
      return "FAIL";
    case Outcome::kNotEvaluated:
      return "n/a";
  }
  return "?";
}

nlohmann::ordered_json ProvenanceJson(const ResolvedImage& img) {
  nlohmann::ordered_json j;
  j["engine"] = img.engine;
  j["store_root"] = img.store_root;
  j["image_id"] = img.image_id;
  j["typed_reference"] = img.typed_reference;
  j["typed_confirmed"] = img.typed_confirmed;
  j["names"] = img.names;
  j["diff_ids"] = img.diff_ids;
  j["chain_ids"] = img.chain_ids;
  nlohmann::ordered_json layers = nlohmann::ordered_json::array();
  for (const auto& l : img.layers) {
    layers.push_back({{"diff_id", l.diff_id},
                      {"chain_id", l.chain_id},
                      {"layer_id", l.layer_id},
                      {"diff_dir", l.diff_dir}});
  }
  j["layers"] = layers;
  nlohmann::ordered_json manifests = nlohmann::ordered_json::array();
  for (const auto& m : img.manifest_files) {
    manifests.push_back({{"digest", m.digest}, {"path", m.path}});
  }
  j["manifest_files"] = manifests;
  j["notes"] = img.notes;
  return j;
}

nlohmann::ordered_json VerdictJson(const Verdict& v) {
  nlohmann::ordered_json j;
  j["decision"] = ActionName(v.decision);
  j["mode"] = ModeName(v.mode);
  j["allowed"] = v.Allowed();
  j["image"] = v.image;
  j["image_id"] = v.image_id;
  j["rule"] = v.rule;
  j["reason"] = v.reason;
  nlohmann::ordered_json findings = nlohmann::ordered_json::array();
  for (const auto& f : v.findings) {
    nlohmann::ordered_json fj{{"requirement", f.requirement},
                              {"outcome", OutcomeName(f.outcome)},
                              {"message", f.message}};
    if (!f.expected.empty()) fj["expected"] = f.expected;
    if (!f.actual.empty()) fj["actual"] = f.actual;
    findings.push_back(fj);
  }
  j["findings"] = findings;
  return j;
}

void PrintProvenance(const ResolvedImage& img, bool layers) {
  fmt::print("image:      {}\n", img.typed_reference.empty() ? img.image_id : img.typed_reference);
  fmt::print("image id:   {}\n", img.image_id);
  fmt::print("engine:     {}{}\n", img.engine,
             img.store_root.empty() ? "" : " at " + img.store_root);
  fmt::print("name typed: {}\n",
             img.typed_reference.empty()
                 ? "(none)"
                 : img.typed_reference + (img.typed_confirmed ? " (confirmed by the store)"
                                                              : " (not a name the store maps "
                                                                "to this image)"));
  for (const auto& n : img.names) fmt::print("stored as:  {}\n", n);
  fmt::print("layers:     {} (top chainID {})\n", img.chain_ids.size(), img.TopChainId());
  for (const auto& m : img.manifest_files) fmt::print("manifest:   {} at {}\n", m.digest, m.path);
  if (layers) {
    for (size_t i = 0; i < img.diff_ids.size(); ++i) {
      fmt::print("  {:>3}  diff {}\n       chain {}\n", i + 1, img.diff_ids[i], img.chain_ids[i]);
      if (i < img.layers.size()) fmt::print("       dir {}\n", img.layers[i].diff_dir);
    }
  }
  for (const auto& n : img.notes) fmt::print("checked:    {}\n", n);
}

void PrintVerdict(const Verdict& v) {
  std::string decision = v.decision == Action::kAllow ? "ALLOWED" : "REFUSED";
  if (v.decision == Action::kDeny && v.mode == Mode::kAudit) {
    decision += " (audit mode: the runtime logs this and lets it run)";
  }
  fmt::print("verdict:    {} by {}\n", decision, v.rule);
  fmt::print("reason:     {}\n", v.reason);
  for (const auto& f : v.findings) {
    fmt::print("  [{}] {}: {}\n", OutcomeName(f.outcome), f.requirement, f.message);
  }
}

}  // namespace verified::ctl
