#include "ctl/cmd_attestation.h"

#include <memory>
#include <nlohmann/json.hpp>

#include "ctl/attestation_import.h"
#include "ctl/image_source.h"
#include "verifier/attestation/attestation_store.h"
#include "verifier/signature/key_dir.h"

namespace verified::ctl {
namespace {

void PrintImported(const ImportedAttestation& i, const char* verb) {
  const auto& p = i.verified.predicate;
  fmt::print("{} {} attestation for {} (key {}{}): {}\n", verb, attestation::KindName(p.kind),
             i.digest, i.verified.key_name.empty() ? "not trusted" : i.verified.key_name,
             i.with_manifest ? ", with its manifest" : "", attestation::DescribePredicate(p));
}

void DoImport(CtlContext& ctx, const AttestationImportRequest& req) {
  auto imported = ImportAttestations(ctx.config_dir, req);
  if (!imported.ok()) return ctx.Fail(Wrap(std::move(imported).error(), "attestation import"));
  for (const auto& i : *imported) PrintImported(i, i.added ? "imported" : "already had");
}

// One stored attestation, verified now against the keys trusted now.
nlohmann::json ListEntry(const std::string& digest, const attestation::StoredAttestation& a,
                         const std::vector<signature::PublicKey>& keys) {
  nlohmann::json j = {{"digest", digest}, {"id", a.id}, {"path", a.path}};
  auto v = attestation::VerifyAttestationBundle(a.bundle, keys);
  j["verified"] = v.ok();
  if (!v.ok()) {
    j["error"] = v.error().What();
    return j;
  }
  j["key"] = v->key_name;
  j["type"] = attestation::KindName(v->predicate.kind);
  j["predicate_type"] = v->predicate.type;
  j["subjects"] = v->statement.subject_digests;
  j["says"] = attestation::DescribePredicate(v->predicate);
  return j;
}

void DoList(CtlContext& ctx, bool json) {
  auto keys = signature::ListKeys(ctx.config_dir);
  if (!keys.ok()) return ctx.Fail(Wrap(std::move(keys).error(), "attestation list"));
  auto digests = attestation::ListAttestedDigests(ctx.config_dir);
  if (!digests.ok()) return ctx.Fail(Wrap(std::move(digests).error(), "attestation list"));
  nlohmann::json all = nlohmann::json::array();
  for (const auto& d : *digests) {
    auto stored = attestation::AttestationsFor(ctx.config_dir, d);
    if (!stored.ok()) return ctx.Fail(Wrap(std::move(stored).error(), "attestation list"));
    for (const auto& a : stored->bundles) all.push_back(ListEntry(d, a, *keys));
  }
  if (json) {
    fmt::print("{}\n", all.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
    return;
  }
  for (const auto& e : all) {
    if (!e["verified"].get<bool>()) {
      fmt::print("{}\t{}\tNOT VERIFIED: {}\n", e["digest"].get<std::string>(),
                 e["id"].get<std::string>().substr(0, 12),
                 e["error"].get<std::string>().substr(0, 200));
      continue;
    }
    fmt::print("{}\t{}\t{}\t{}\t{}\n", e["digest"].get<std::string>(),
               e["id"].get<std::string>().substr(0, 12), e["type"].get<std::string>(),
               e["key"].get<std::string>(), e["says"].get<std::string>());
  }
}

struct AttestArgs {
  std::string image;
  std::string engine = "docker";
  std::string root, runroot;
  AttestRequest request;
};

void DoAttest(CtlContext& ctx, const AttestArgs& a) {
  ctx.engine = a.engine;
  ctx.podman_root = a.root;
  ctx.podman_runroot = a.runroot;
  auto img = LookupImage(ctx, a.image);
  if (!img.ok()) return ctx.Fail(Wrap(std::move(img).error(), "attest {}", a.image));
  auto o = AttestImage(ctx.config_dir, *img, a.request);
  if (!o.ok()) return ctx.Fail(Wrap(std::move(o).error(), "attest {}", a.image));
  PrintImported(*o, o->added ? "stored" : "already had");
  if (o->verified.key_name.empty()) {
    fmt::print(stderr,
               "verifiedctl: warning: this key's public half is not in {}/keys: the runtime "
               "will not count this attestation until `verifiedctl key add NAME FILE.pub`\n",
               ctx.config_dir);
  }
}

void AddAttest(CLI::App& app, CtlContext& ctx) {
  auto a = std::make_shared<AttestArgs>();
  auto* cmd = app.add_subcommand(
      "attest", "Attest a local image (in-toto Statement in a sigstore bundle) and store it");
  cmd->add_option("image", a->image, "image name or ID")->required();
  cmd->add_option("--key", a->request.key_file, "private key: unencrypted PKCS#8 PEM")->required();
  cmd->add_option("--type", a->request.type, "predicate type")
      ->required()
      ->check(CLI::IsMember({"vuln", "spdx", "cyclonedx", "slsa"}));
  cmd->add_option("--predicate", a->request.predicate_file,
                  "the predicate JSON (vuln: `trivy image --format cosign-vuln`; spdx/cyclonedx: "
                  "`syft -o spdx-json|cyclonedx-json`; slsa: a provenance v1 predicate)")
      ->required();
  cmd->add_option("--output", a->request.output_file, "also write the bundle to FILE");
  cmd->add_option("--engine", a->engine, "engine holding the image")
      ->check(CLI::IsMember({"docker", "containerd", "podman"}));
  cmd->add_option("--root", a->root, "podman: storage graph root (as podman --root)");
  cmd->add_option("--runroot", a->runroot, "podman: storage run root (as podman --runroot)");
  cmd->add_option("--containerd-root", ctx.containerd_root, "containerd's root");
  cmd->add_option("--namespace", ctx.containerd_namespace, "containerd namespace");
  cmd->callback([&ctx, a] { DoAttest(ctx, *a); });
}

}  // namespace

void AddAttestationCommands(CLI::App& app, CtlContext& ctx) {
  auto* att = app.add_subcommand(
      "attestation", "Manage the attestations (scans, SBOMs, provenance) the host reads");
  att->require_subcommand(1);
  auto req = std::make_shared<AttestationImportRequest>();
  auto* imp = att->add_subcommand(
      "import", "Verify attestations with the trusted keys and store them by manifest digest");
  imp->add_option("path", req->path,
                  "a sigstore bundle v0.3 (cosign attest --bundle), or a `cosign save` layout")
      ->required();
  imp->add_option("--manifest", req->manifest_file,
                  "the attested manifest (stored with it; must hash to a subject)");
  imp->callback([&ctx, req] { DoImport(ctx, *req); });
  auto json = std::make_shared<bool>(false);
  auto* list = att->add_subcommand(
      "list", "List stored attestations: digest, id, type, the key verifying it, what it says");
  list->add_flag("--json", *json, "JSON output");
  list->callback([&ctx, json] { DoList(ctx, *json); });
  AddAttest(app, ctx);
}

}  // namespace verified::ctl
