#include "ctl/cmd_policy_sign.h"

#include <ctime>
#include <memory>

#include "ctl/signed_policy_notice.h"
#include "verifier/fs/dir.h"
#include "verifier/policy/policy_file.h"
#include "verifier/signature/key_dir.h"
#include "verifier/signature/private_key.h"
#include "verifier/signedpolicy/policy_sign.h"
#include "verifier/signedpolicy/rfc3339.h"
#include "verifier/signedpolicy/signed_policy.h"

namespace verified::ctl {
namespace {

using signature::PublicKey;

int64_t Now() { return static_cast<int64_t>(time(nullptr)); }

void DoTrustAdd(CtlContext& ctx, const std::string& name, const std::string& file) {
  if (auto st = signature::CheckKeyName(name); !st.ok()) return ctx.Fail(st.error());
  auto text = ReadFileLimited(file, signature::kMaxPublicKeyFileBytes);
  if (!text.ok()) return ctx.Fail(Wrap(std::move(text).error(), "policy trust add {}", name));
  auto key = PublicKey::Parse(*text, name);
  if (!key.ok()) return ctx.Fail(Wrap(std::move(key).error(), "policy trust add {}", file));
  auto st = signature::AddKey(signature::PolicyKeyDirectory(ctx.config_dir), *key);
  if (!st.ok()) return ctx.Fail(Wrap(std::move(st).error(), "policy trust add {}", name));
  fmt::print("policy key {} added ({} {} bits, sha256:{})\n", name,
             signature::KeyTypeName(key->type()), key->bits(), key->fingerprint());
  PrintSignNotice(ctx);
}

void DoTrustRemove(CtlContext& ctx, const std::string& name) {
  auto removed = signature::RemoveKey(signature::PolicyKeyDirectory(ctx.config_dir), name);
  if (!removed.ok()) {
    return ctx.Fail(Wrap(std::move(removed).error(), "policy trust remove {}", name));
  }
  if (!*removed) return ctx.Fail(fmt::format("policy trust remove: no policy key named {}", name));
  fmt::print("policy key {} removed\n", name);
  PrintSignNotice(ctx);
}

void DoTrustList(CtlContext& ctx) {
  auto keys = signature::ListKeys(signature::PolicyKeyDirectory(ctx.config_dir));
  if (!keys.ok()) return ctx.Fail(Wrap(std::move(keys).error(), "policy trust list"));
  for (const auto& k : *keys) {
    fmt::print("{}\t{}\t{}\tsha256:{}\n", k.name(), signature::KeyTypeName(k.type()), k.bits(),
               k.fingerprint());
  }
}

struct SignArgs {
  std::string key;
  std::string expires;
  std::string grace = "0s";
};

void DoSign(CtlContext& ctx, const SignArgs& a) {
  signedpolicy::SignRequest req;
  req.config_dir = ctx.config_dir;
  req.state_dir = ctx.state_dir;
  req.key_file = a.key;
  req.now = Now();
  auto pem = ReadFileLimited(a.key, signature::kMaxPrivateKeyFileBytes);
  if (!pem.ok()) return ctx.Fail(Wrap(std::move(pem).error(), "policy sign --key"));
  req.private_key_pem = std::move(pem).value();
  if (a.expires.empty()) {
    req.expires = req.now + signedpolicy::kDefaultValiditySeconds;
  } else {
    auto e = signedpolicy::ParseExpires(a.expires, req.now);
    if (!e.ok()) return ctx.Fail(e.error());
    req.expires = *e;
  }
  auto g = signedpolicy::ParseGrace(a.grace);
  if (!g.ok()) return ctx.Fail(g.error());
  req.grace_seconds = *g;
  // The policy must at least parse: signing a policy the runtime cannot load helps nobody.
  if (auto p = LoadPolicy(ctx.config_dir); !p.ok()) {
    return ctx.Fail(Wrap(std::move(p).error(), "policy sign"));
  }
  auto signed_ = signedpolicy::SignPolicy(req);
  if (!signed_.ok()) return ctx.Fail(Wrap(std::move(signed_).error(), "policy sign"));
  const auto& s = signed_->statement;
  fmt::print("signed policy version {} with policy key {}: {} files, expires {}{}\n", s.version,
             signed_->signer, s.files.size(), signedpolicy::FormatRfc3339(s.expires),
             s.grace_seconds > 0 ? fmt::format(" (grace {}s)", s.grace_seconds) : "");
  fmt::print("  {}\n  {}\n", signedpolicy::StatementPath(ctx.config_dir),
             signedpolicy::SignaturePath(ctx.config_dir));
}

void DoStatus(CtlContext& ctx) {
  std::string digest;
  if (auto p = LoadPolicy(ctx.config_dir); p.ok()) digest = p->digest;
  auto c = signedpolicy::CheckSignedPolicy({ctx.config_dir, ctx.state_dir, Now(), digest});
  fmt::print("{}\n", c.Summary());
  if (c.required && c.accepted_version > 0) {
    fmt::print("highest version accepted on this host: {} (state dir {})\n", c.accepted_version,
               ctx.state_dir);
  }
  if (!c.Accepted()) ctx.exit_code = kExitRefused;
}

void AddTrust(CLI::App& policy, CtlContext& ctx) {
  auto* trust = policy.add_subcommand(
      "trust", "Manage the keys allowed to sign the policy (<config-dir>/policy-keys)");
  trust->require_subcommand(1);
  auto add_name = std::make_shared<std::string>();
  auto add_file = std::make_shared<std::string>();
  auto* add = trust->add_subcommand(
      "add", "Trust a public key to sign the policy (from then on the policy must be signed)");
  add->add_option("name", *add_name, "key name ([a-z0-9][a-z0-9._-]{0,63})")->required();
  add->add_option("file", *add_file, "PEM public key file")->required();
  add->callback([&ctx, add_name, add_file] { DoTrustAdd(ctx, *add_name, *add_file); });
  auto rm_name = std::make_shared<std::string>();
  auto* rm = trust->add_subcommand("remove", "Stop trusting a policy key");
  rm->add_option("name", *rm_name, "key name")->required();
  rm->callback([&ctx, rm_name] { DoTrustRemove(ctx, *rm_name); });
  trust->add_subcommand("list", "List the policy keys: name, type, bits, fingerprint")
      ->callback([&ctx] { DoTrustList(ctx); });
}

}  // namespace

void AddSignedPolicyCommands(CLI::App& policy, CtlContext& ctx) {
  AddTrust(policy, ctx);
  auto a = std::make_shared<SignArgs>();
  auto* sign = policy.add_subcommand(
      "sign", "Sign the policy, registrations and keys as the next version (policy.sig.json)");
  sign->add_option("--key", a->key, "private key file (PEM) of a policy key")->required();
  sign->add_option("--expires", a->expires,
                   "a Go duration (720h) or an RFC 3339 time (default 30 days)");
  sign->add_option("--grace", a->grace,
                   "after expiry, warn for this long before refusing (Go duration, default 0s)");
  sign->callback([&ctx, a] { DoSign(ctx, *a); });
  policy
      .add_subcommand("status", "Show whether the runtime accepts the signed policy (exit 1: no)")
      ->callback([&ctx] { DoStatus(ctx); });
}

}  // namespace verified::ctl
