#include "ctl/cmd_key.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <memory>

#include "ctl/signed_policy_notice.h"
#include "verifier/fs/dir.h"
#include "verifier/signature/key_dir.h"
#include "verifier/signature/key_generate.h"
#include "verifier/signature/public_key.h"

namespace verified::ctl {
namespace {

using signature::PublicKey;

std::string KeyLine(const PublicKey& key) {
  return fmt::format("{} ({} {} bits, sha256:{})", key.name(), signature::KeyTypeName(key.type()),
                     key.bits(), key.fingerprint());
}

void DoGenerate(CtlContext& ctx, const std::string& name, std::string private_out) {
  if (auto st = signature::CheckKeyName(name); !st.ok()) return ctx.Fail(st.error());
  if (private_out.empty()) private_out = "./" + name + ".key";
  // Refuse before writing the private key, so a name clash leaves no orphan behind.
  std::string pub_path = signature::KeysDir(ctx.config_dir) + "/" + name + ".pub";
  if (access(pub_path.c_str(), F_OK) == 0) {
    return ctx.Fail(fmt::format("key {} already exists ({}): remove it first", name, pub_path));
  }
  auto pair = signature::GenerateEcdsaP256(name);
  if (!pair.ok()) return ctx.Fail(pair.error());
  if (auto st = WritePrivateKeyFile(private_out, pair->private_pem); !st.ok()) {
    return ctx.Fail(Wrap(std::move(st).error(), "key generate {}", name));
  }
  if (auto st = signature::AddKey(ctx.config_dir, pair->public_key); !st.ok()) {
    unlink(private_out.c_str());
    return ctx.Fail(Wrap(std::move(st).error(), "key generate {}", name));
  }
  fmt::print(
      "generated key {}\n  private key: {} (mode 0600, unencrypted: keep it secret)\n"
      "  public key:  {}\n",
      KeyLine(pair->public_key), private_out, pub_path);
  PrintSignNotice(ctx);
}

void DoAdd(CtlContext& ctx, const std::string& name, const std::string& file) {
  if (auto st = signature::CheckKeyName(name); !st.ok()) return ctx.Fail(st.error());
  auto text = ReadFileLimited(file, signature::kMaxPublicKeyFileBytes);
  if (!text.ok()) return ctx.Fail(Wrap(std::move(text).error(), "key add {}", name));
  auto key = PublicKey::Parse(*text, name);
  if (!key.ok()) return ctx.Fail(Wrap(std::move(key).error(), "key add {}", file));
  if (auto st = signature::AddKey(ctx.config_dir, *key); !st.ok()) {
    return ctx.Fail(Wrap(std::move(st).error(), "key add {}", name));
  }
  fmt::print("added key {}\n", KeyLine(*key));
  PrintSignNotice(ctx);
}

void DoList(CtlContext& ctx) {
  auto keys = signature::ListKeys(ctx.config_dir);
  if (!keys.ok()) return ctx.Fail(Wrap(std::move(keys).error(), "key list"));
  for (const auto& k : *keys) {
    fmt::print("{}\t{}\t{}\tsha256:{}\n", k.name(), signature::KeyTypeName(k.type()), k.bits(),
               k.fingerprint());
  }
}

void DoRemove(CtlContext& ctx, const std::string& name) {
  auto removed = signature::RemoveKey(ctx.config_dir, name);
  if (!removed.ok()) return ctx.Fail(Wrap(std::move(removed).error(), "key remove {}", name));
  if (!*removed) return ctx.Fail(fmt::format("key remove: no key named {}", name));
  fmt::print("removed key {}\n", name);
  PrintSignNotice(ctx);
}

}  // namespace

Status WritePrivateKeyFile(const std::string& path, std::string_view content) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) {
      return MakeError(ErrorKind::kInvalidArgument,
                       "{} already exists: not overwriting a private key file", path);
    }
    return SysError(errno, "create " + path);
  }
  auto fail = [&](int err, const char* op) {
    close(fd);
    unlink(path.c_str());
    return SysError(err, fmt::format("{} {}", op, path));
  };
  // The umask can only narrow 0600; fchmod makes the mode exact whatever it is.
  if (fchmod(fd, 0600) != 0) return fail(errno, "chmod");
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return fail(n < 0 ? errno : EIO, "write");
    done += static_cast<size_t>(n);
  }
  if (fsync(fd) != 0) return fail(errno, "fsync");
  if (close(fd) != 0) {
    int err = errno;
    unlink(path.c_str());
    return SysError(err, "close " + path);
  }
  return Ok();
}

void AddKeyCommands(CLI::App& app, CtlContext& ctx) {
  auto* key = app.add_subcommand("key", "Manage the public keys image signatures are checked with");
  key->require_subcommand(1);

  auto gen_name = std::make_shared<std::string>();
  auto gen_out = std::make_shared<std::string>();
  auto* gen = key->add_subcommand("generate", "Generate an ECDSA P-256 key pair");
  gen->add_option("name", *gen_name, "key name ([a-z0-9][a-z0-9._-]{0,63})")->required();
  gen->add_option("--private-out", *gen_out,
                  "where to write the private key (mode 0600; default ./NAME.key; never "
                  "overwritten)");
  gen->callback([&ctx, gen_name, gen_out] { DoGenerate(ctx, *gen_name, *gen_out); });

  auto add_name = std::make_shared<std::string>();
  auto add_file = std::make_shared<std::string>();
  auto* add = key->add_subcommand("add", "Trust a PEM public key (cosign.pub as is)");
  add->add_option("name", *add_name, "key name ([a-z0-9][a-z0-9._-]{0,63})")->required();
  add->add_option("file", *add_file, "PEM public key file")->required();
  add->callback([&ctx, add_name, add_file] { DoAdd(ctx, *add_name, *add_file); });

  auto* list = key->add_subcommand("list", "List the trusted keys: name, type, bits, fingerprint");
  list->callback([&ctx] { DoList(ctx); });

  auto rm_name = std::make_shared<std::string>();
  auto* rm = key->add_subcommand("remove", "Stop trusting a key");
  rm->add_option("name", *rm_name, "key name")->required();
  rm->callback([&ctx, rm_name] { DoRemove(ctx, *rm_name); });
}

}  // namespace verified::ctl
