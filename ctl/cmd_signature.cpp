#include "ctl/cmd_signature.h"

#include <memory>
#include <nlohmann/json.hpp>

#include "ctl/image_source.h"
#include "ctl/signature_import.h"
#include "verifier/signature/engine_signatures.h"
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

struct ListArgs {
  bool json = false;
  std::string image;  // "" = everything in the store
  std::string engine = "docker";
  std::string root, runroot;
};

// Every stored signature, or, with --image, those for the manifests the engine keeps for the
// image: read in place from the engine (containers/storage) and from the store.
Result<nlohmann::json> ListEntries(CtlContext& ctx, const ListArgs& a,
                                   const std::vector<signature::PublicKey>& keys) {
  nlohmann::json all = nlohmann::json::array();
  std::vector<std::string> digests;
  std::optional<ResolvedImage> img;
  if (a.image.empty()) {
    VERIFIED_ASSIGN_OR_RETURN(digests, signature::ListSignedDigests(ctx.config_dir));
  } else {
    ctx.engine = a.engine;
    ctx.podman_root = a.root;
    ctx.podman_runroot = a.runroot;
    VERIFIED_ASSIGN_OR_RETURN(img, LookupImage(ctx, a.image));
    if (img->manifest_files.empty()) {
      return MakeError(ErrorKind::kUnsupported,
                       "{} keeps no manifest for {}: list the store without --image", img->engine,
                       a.image);
    }
    for (const auto& m : img->manifest_files) digests.push_back(m.digest);
  }
  for (const auto& d : digests) {
    if (img) {
      VERIFIED_ASSIGN_OR_RETURN(std::vector<SignatureRecord> kept,
                                signature::EngineSignaturesFor(*img, d));
      signature::StoredSignatures none{d, std::nullopt, {}};
      for (const auto& r : kept) {
        nlohmann::json e = ListEntry(none, r, keys);
        e["from"] = "engine";
        all.push_back(std::move(e));
      }
    }
    VERIFIED_ASSIGN_OR_RETURN(signature::StoredSignatures stored,
                              signature::SignaturesFor(ctx.config_dir, d));
    for (const auto& r : stored.records) {
      nlohmann::json e = ListEntry(stored, r, keys);
      e["from"] = "store";
      all.push_back(std::move(e));
    }
  }
  return all;
}

void DoList(CtlContext& ctx, const ListArgs& a) {
  auto keys = signature::ListKeys(ctx.config_dir);
  if (!keys.ok()) return ctx.Fail(Wrap(std::move(keys).error(), "signature list"));
  auto entries = ListEntries(ctx, a, *keys);
  if (!entries.ok()) return ctx.Fail(Wrap(std::move(entries).error(), "signature list"));
  const nlohmann::json& all = *entries;
  if (a.json) {
    fmt::print("{}\n", all.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
    return;
  }
  for (const auto& e : all) {
    std::string key = e["verified"].get<bool>() ? e["key"].get<std::string>() : "-";
    std::string ref = e["verified"].get<bool>() ? e["docker_reference"].get<std::string>() : "";
    fmt::print("{}\t{}\t{}\t{}\t{}{}\n", e["digest"].get<std::string>(),
               e["format"].get<std::string>(), key, ref.empty() ? "-" : ref,
               e["from"].get<std::string>(),
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
                  "a `cosign save` OCI layout, or a containers/image dir: layout (manifest.json, "
                  "signature-N files)");
  imp->add_option("--bundle", req->bundle_file, "a sigstore bundle v0.3 (.sigstore.json)");
  imp->add_option("--payload", req->payload_file, "cosign simple-signing payload");
  imp->add_option("--signature", req->signature_file, "its base64 signature");
  imp->add_option("--manifest", req->manifest_file,
                  "the signed manifest (stored with the signature; must hash to the signed "
                  "digest)");
  imp->callback([&ctx, req] { DoImport(ctx, *req); });

  auto la = std::make_shared<ListArgs>();
  auto* list = sig->add_subcommand(
      "list",
      "List signatures: digest, format, the key verifying it, docker-reference, where it is kept");
  list->add_flag("--json", la->json, "JSON output");
  list->add_option("--image", la->image,
                   "only the signatures for this image's manifests, from its engine (Podman's "
                   "use-sigstore-attachments) and the store");
  list->add_option("--engine", la->engine, "engine holding --image")
      ->check(CLI::IsMember({"docker", "containerd", "podman"}));
  list->add_option("--root", la->root, "podman: storage graph root (as podman --root)");
  list->add_option("--runroot", la->runroot, "podman: storage run root (as podman --runroot)");
  list->add_option("--containerd-root", ctx.containerd_root, "containerd's root");
  list->add_option("--namespace", ctx.containerd_namespace, "containerd namespace");
  list->callback([&ctx, la] { DoList(ctx, *la); });

  auto digest = std::make_shared<std::string>();
  auto* rm = sig->add_subcommand("remove", "Remove every signature stored for a digest");
  rm->add_option("digest", *digest, "sha256:<hex>")->required();
  rm->callback([&ctx, digest] { DoRemove(ctx, *digest); });
}

}  // namespace verified::ctl
