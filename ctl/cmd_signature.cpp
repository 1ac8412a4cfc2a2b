#include "ctl/cmd_signature.h"

#include <memory>
#include <nlohmann/json.hpp>

#include "ctl/signature_import.h"
#include "verifier/signature/key_dir.h"
#include "verifier/signature/signature_store.h"

namespace verified::ctl {
namespace {

using signature::SignatureRecord;

void DoImport(CtlContext& ctx, SignatureImportRequest req) {
  req.imported_by = CurrentUser();
  req.imported_at = NowRfc3339();
  auto imported = ImportSignatures(ctx.config_dir, req);
  if (!imported.ok()) return ctx.Fail(Wrap(std::move(imported).error(), "signature import"));
  for (const auto& i : *imported) {
    fmt::print("{} {} signature for {} (key {}{}{}){}\n", i.added ? "imported" : "already had",
               signature::SignatureFormatName(i.record.format), i.record.digest,
               i.verified.key_name,
               i.verified.docker_reference.empty() ? "" : ", docker-reference ",
               i.verified.docker_reference, i.with_manifest ? ", with its manifest" : "");
  }
}

// One listed signature: verified now, against the keys trusted now.
nlohmann::json ListEntry(const signature::StoredSignatures& s, const SignatureRecord& r,
                         const std::vector<signature::PublicKey>& keys) {
  nlohmann::json j = {{"digest", s.digest},
                      {"format", signature::SignatureFormatName(r.format)},
                      {"id", signature::SignatureRecordId(r)},
                      {"manifest", s.manifest.has_value()},
                      {"imported_by", r.imported_by},
                      {"imported_at", r.imported_at},
                      {"source", r.source}};
  auto v = signature::VerifySignatureRecord(r, keys);
  j["verified"] = v.ok();
  if (v.ok()) {
    j["key"] = v->key_name;
    j["key_fingerprint"] = "sha256:" + v->key_fingerprint;
    j["docker_reference"] = v->docker_reference;
  } else {
    j["error"] = v.error().What();
  }
  return j;
}

void DoList(CtlContext& ctx, bool json) {
  auto keys = signature::ListKeys(ctx.config_dir);
  if (!keys.ok()) return ctx.Fail(Wrap(std::move(keys).error(), "signature list"));
  auto digests = signature::ListSignedDigests(ctx.config_dir);
  if (!digests.ok()) return ctx.Fail(Wrap(std::move(digests).error(), "signature list"));
  nlohmann::json all = nlohmann::json::array();
  for (const auto& d : *digests) {
    auto stored = signature::SignaturesFor(ctx.config_dir, d);
    if (!stored.ok()) return ctx.Fail(Wrap(std::move(stored).error(), "signature list"));
    for (const auto& r : stored->records) all.push_back(ListEntry(*stored, r, *keys));
  }
  if (json) {
    fmt::print("{}\n", all.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
    return;
  }
  for (const auto& e : all) {
    std::string key = e["verified"].get<bool>() ? e["key"].get<std::string>() : "-";
    std::string ref = e["verified"].get<bool>() ? e["docker_reference"].get<std::string>() : "";
    fmt::print("{}\t{}\t{}\t{}{}\n", e["digest"].get<std::string>(), e["format"].get<std::string>(),
               key, ref.empty() ? "-" : ref,
               e["verified"].get<bool>()
                   ? ""
                   : "\tNOT VERIFIED: " + e["error"].get<std::string>().substr(0, 200));
  }
}

void DoRemove(CtlContext& ctx, const std::string& digest) {
  auto removed = signature::RemoveSignatures(ctx.config_dir, digest);
  if (!removed.ok()) return ctx.Fail(Wrap(std::move(removed).error(), "signature remove"));
  if (!*removed) return ctx.Fail(fmt::format("signature remove: nothing stored for {}", digest));
  fmt::print("removed the signatures for {}\n", digest);
}

}  // namespace

void AddSignatureCommands(CLI::App& app, CtlContext& ctx) {
  auto* sig = app.add_subcommand("signature", "Manage the image signatures the host accepts");
  sig->require_subcommand(1);

  auto req = std::make_shared<SignatureImportRequest>();
  auto* imp = sig->add_subcommand(
      "import", "Verify signatures with the trusted keys and store them by manifest digest");
  imp->add_option("dir", req->dir,
                  "a containers/image dir: layout (manifest.json, signature-N files)");
  imp->add_option("--bundle", req->bundle_file, "a sigstore bundle v0.3 (.sigstore.json)");
  imp->add_option("--payload", req->payload_file, "cosign simple-signing payload");
  imp->add_option("--signature", req->signature_file, "its base64 signature");
  imp->add_option("--manifest", req->manifest_file,
                  "the signed manifest (stored with the signature; must hash to the signed "
                  "digest)");
  imp->callback([&ctx, req] { DoImport(ctx, *req); });

  auto json = std::make_shared<bool>(false);
  auto* list = sig->add_subcommand(
      "list", "List stored signatures: digest, format, the key verifying it, docker-reference");
  list->add_flag("--json", *json, "JSON output");
  list->callback([&ctx, json] { DoList(ctx, *json); });

  auto digest = std::make_shared<std::string>();
  auto* rm = sig->add_subcommand("remove", "Remove every signature stored for a digest");
  rm->add_option("digest", *digest, "sha256:<hex>")->required();
  rm->callback([&ctx, digest] { DoRemove(ctx, *digest); });
}

}  // namespace verified::ctl
