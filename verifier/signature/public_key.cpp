#include "verifier/signature/public_key.h"

#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "verifier/core/base64.h"
#include "verifier/crypto/sha256.h"
#include "verifier/signature/key_der.h"

namespace verified::signature {
namespace {

using namespace std::string_view_literals;

constexpr std::string_view kPublicBegin = "-----BEGIN PUBLIC KEY-----";
constexpr std::string_view kPublicEnd = "-----END PUBLIC KEY-----";
constexpr int kMinRsaBits = 2048;
constexpr int kMaxRsaBits = 8192;

// Failed parses and verifications leave entries on OpenSSL's thread-local error queue; they
// are reported through Result, so the queue is emptied for whoever calls OpenSSL next.
struct ClearOpensslErrors {
  ~ClearOpensslErrors() { ERR_clear_error(); }
};

Result<KeyType> Classify(EVP_PKEY* pkey, std::string_view name, int* bits) {
  *bits = EVP_PKEY_get_bits(pkey);
  switch (EVP_PKEY_get_base_id(pkey)) {
    case EVP_PKEY_EC: {
      char group[64] = {0};
      size_t len = 0;
      if (EVP_PKEY_get_group_name(pkey, group, sizeof(group), &len) != 1) {
        return MakeError(ErrorKind::kUnsupported, "key {}: EC key without a named curve", name);
      }
      std::string_view g(group, len);
      if (g == "prime256v1" || g == "P-256") return KeyType::kEcdsaP256;
      if (g == "secp384r1" || g == "P-384") return KeyType::kEcdsaP384;
      return MakeError(ErrorKind::kUnsupported,
                       "key {}: EC curve {} is not accepted (P-256 or P-384 only)", name, g);
    }
    case EVP_PKEY_RSA:
      if (*bits < kMinRsaBits || *bits > kMaxRsaBits) {
        return MakeError(ErrorKind::kUnsupported,
                         "key {}: RSA key of {} bits is not accepted ({} to {} bits only)", name,
                         *bits, kMinRsaBits, kMaxRsaBits);
      }
      return KeyType::kRsa;
    case EVP_PKEY_ED25519:
      return KeyType::kEd25519;
    default:
      return MakeError(ErrorKind::kUnsupported,
                       "key {}: algorithm {} is not accepted (ECDSA P-256/P-384, RSA, Ed25519)",
                       name, OBJ_nid2sn(EVP_PKEY_get_base_id(pkey)));
  }
}

// For P-256 and P-384 (cofactor 1) every point on the curve but infinity has the group's
// order, so OpenSSL's full public check adds only a scalar multiplication (n*Q == O, about
// 65 us, paid at every create that checks a signature) to the quick one (on the curve, not
// infinity, coordinates in range). RSA and Ed25519 keep the full check.
Status CheckPublic(EVP_PKEY* pkey, KeyType type, std::string_view name) {
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(
      EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr), EVP_PKEY_CTX_free);
  if (!ctx) return MakeError(ErrorKind::kInternal, "key {}: EVP_PKEY_CTX_new failed", name);
  bool prime_order = type == KeyType::kEcdsaP256 || type == KeyType::kEcdsaP384;
  if ((prime_order ? EVP_PKEY_public_check_quick(ctx.get()) : EVP_PKEY_public_check(ctx.get())) !=
      1) {
    return MakeError(ErrorKind::kIntegrity, "key {}: OpenSSL's public key check failed", name);
  }
  return Ok();
}

// The canonical DER SubjectPublicKeyInfo of an uncompressed P-256 / P-384 point is a fixed
// prefix (SEQUENCE, id-ecPublicKey, the named curve, BIT STRING header) and the point.
struct NistSpki {
  std::string_view prefix;
  size_t point_bytes;  // 0x04 || X || Y
  const char* group;
};
// Sized from the arrays (`sv`): the prefixes contain NUL bytes.
constexpr std::string_view kP256Prefix =
    "\x30\x59\x30\x13\x06\x07\x2a\x86\x48\xce\x3d\x02\x01\x06\x08\x2a\x86\x48\xce\x3d\x03\x01"
    "\x07\x03\x42\x00"sv;
constexpr std::string_view kP384Prefix =
    "\x30\x76\x30\x10\x06\x07\x2a\x86\x48\xce\x3d\x02\x01\x06\x05\x2b\x81\x04\x00\x22\x03\x62"
    "\x00"sv;
static_assert(kP256Prefix.size() == 26 && kP384Prefix.size() == 23);
constexpr NistSpki kNistSpkis[] = {{kP256Prefix, 65, "P-256"}, {kP384Prefix, 97, "P-384"}};

// OpenSSL 3.0's generic decoder (d2i_PUBKEY) costs 200-400 us per key, more than the
// signature check itself; the keys cosign and `verifiedctl key generate` write are these two
// exact encodings, imported here directly (EVP_PKEY_fromdata decodes the point, refusing
// coordinates out of range or off the curve). Anything else, or an import failure, returns
// nullptr and takes the generic path, which gives the canonical errors.
EVP_PKEY* DecodeNistSpki(const std::string& der) {
  for (const auto& k : kNistSpkis) {
    if (der.size() != k.prefix.size() + k.point_bytes ||
        der.compare(0, k.prefix.size(), k.prefix) != 0 || der[k.prefix.size()] != 0x04) {
      continue;
    }
    std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(
        EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr), EVP_PKEY_CTX_free);
    if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1) return nullptr;
    std::string group = k.group;
    std::string point = der.substr(k.prefix.size());
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group.data(), 0),
        OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()),
        OSSL_PARAM_construct_end()};
    EVP_PKEY* out = nullptr;
    if (EVP_PKEY_fromdata(ctx.get(), &out, EVP_PKEY_PUBLIC_KEY, params) != 1) return nullptr;
    return out;
  }
  return nullptr;
}

std::string I2dPubkey(EVP_PKEY* pkey) {
  unsigned char* buf = nullptr;
  int n = i2d_PUBKEY(pkey, &buf);
  if (n <= 0) return "";
  std::string out(reinterpret_cast<char*>(buf), static_cast<size_t>(n));
  OPENSSL_free(buf);
  return out;
}

}  // namespace

const char* KeyTypeName(KeyType type) {
  switch (type) {
    case KeyType::kEcdsaP256:
      return "ecdsa-p256";
    case KeyType::kEcdsaP384:
      return "ecdsa-p384";
    case KeyType::kRsa:
      return "rsa";
    case KeyType::kEd25519:
      return "ed25519";
  }
  return "unknown";
}

Result<PublicKey> PublicKey::Parse(std::string_view text, std::string_view name) {
  ClearOpensslErrors clear;
  VERIFIED_ASSIGN_OR_RETURN(std::string der, KeyFileDer(text, name));
  PublicKey key;
  // The fast path's input is canonical by construction (exact prefix and length).
  EVP_PKEY* raw = DecodeNistSpki(der);
  key.pkey_.reset(raw, EVP_PKEY_free);
  if (raw == nullptr) {
    const auto* p = reinterpret_cast<const unsigned char*>(der.data());
    raw = d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size()));
    if (raw == nullptr) {
      return MakeError(ErrorKind::kParse, "key {}: not a DER SubjectPublicKeyInfo", name);
    }
    key.pkey_.reset(raw, EVP_PKEY_free);
    if (p != reinterpret_cast<const unsigned char*>(der.data()) + der.size()) {
      return MakeError(ErrorKind::kParse, "key {}: trailing bytes after the DER key", name);
    }
    // A BER spelling (long-form lengths...) decodes too; one key has one accepted encoding.
    if (I2dPubkey(raw) != der) {
      return MakeError(ErrorKind::kParse, "key {}: the key is not in canonical DER", name);
    }
  }
  key.name_ = std::string(name);
  VERIFIED_ASSIGN_OR_RETURN(key.type_, Classify(raw, name, &key.bits_));
  VERIFIED_RETURN_IF_ERROR(CheckPublic(raw, key.type_, name));
  key.der_ = std::move(der);
  key.fingerprint_ = Sha256Hex(key.der_);
  return key;
}

std::string PublicKey::Pem() const {
  std::string b64 = Base64Encode(der_);
  // Appended piece by piece: GCC 12 at -O3 warns falsely on `std::string(x) + "..."` chains
  // (gcc.gnu.org/PR105329), which -Werror turns into a Release build failure.
  std::string out(kPublicBegin);
  out += '\n';
  for (size_t i = 0; i < b64.size(); i += 64) {
    out.append(b64, i, 64);
    out += '\n';
  }
  out += kPublicEnd;
  out += '\n';
  return out;
}

std::string PublicKey::Describe() const {
  return fmt::format("key {} ({}, sha256:{})", name_, KeyTypeName(type_),
                     fingerprint_.substr(0, 16));
}

namespace {

// ECDSA signatures must be the one DER spelling of (r, s): OpenSSL would reject most other
// spellings too, but checking here gives the message a reason.
Status CheckEcdsaDer(const PublicKey& key, std::string_view signature) {
  const auto* p = reinterpret_cast<const unsigned char*>(signature.data());
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(signature.size()));
  if (sig == nullptr) {
    return MakeError(ErrorKind::kIntegrity, "{}: signature is not a DER ECDSA signature",
                     key.Describe());
  }
  bool whole = p == reinterpret_cast<const unsigned char*>(signature.data()) + signature.size();
  unsigned char* buf = nullptr;
  int n = i2d_ECDSA_SIG(sig, &buf);
  bool canonical = n > 0 && std::string_view(reinterpret_cast<char*>(buf), n) == signature;
  OPENSSL_free(buf);
  ECDSA_SIG_free(sig);
  if (!whole || !canonical) {
    return MakeError(ErrorKind::kIntegrity,
                     "{}: ECDSA signature is not canonical DER (trailing or re-encoded bytes)",
                     key.Describe());
  }
  return Ok();
}

Status CheckSignatureShape(const PublicKey& key, std::string_view signature) {
  switch (key.type()) {
    case KeyType::kEcdsaP256:
    case KeyType::kEcdsaP384:
      return CheckEcdsaDer(key, signature);
    case KeyType::kRsa:
      if (signature.size() != static_cast<size_t>(EVP_PKEY_get_size(key.evp()))) {
        return MakeError(ErrorKind::kIntegrity, "{}: RSA signature of {} bytes, want {}",
                         key.Describe(), signature.size(), EVP_PKEY_get_size(key.evp()));
      }
      return Ok();
    case KeyType::kEd25519:
      if (signature.size() != 64) {
        return MakeError(ErrorKind::kIntegrity, "{}: Ed25519 signature of {} bytes, want 64",
                         key.Describe(), signature.size());
      }
      return Ok();
  }
  return MakeError(ErrorKind::kInternal, "{}: unknown key type", key.Describe());
}

}  // namespace

const evp_md_st* SignatureDigest(KeyType type) {
  switch (type) {
    case KeyType::kEcdsaP384:
      return EVP_sha384();
    case KeyType::kEd25519:
      return nullptr;  // pure Ed25519 hashes internally
    default:
      return EVP_sha256();
  }
}

Status Verify(const PublicKey& key, std::string_view data, std::string_view signature) {
  ClearOpensslErrors clear;
  if (key.evp() == nullptr) return MakeError(ErrorKind::kInternal, "verify with an empty key");
  VERIFIED_RETURN_IF_ERROR(CheckSignatureShape(key, signature));
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> md(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_PKEY_CTX* pctx = nullptr;  // owned by md
  if (!md ||
      EVP_DigestVerifyInit(md.get(), &pctx, SignatureDigest(key.type()), nullptr, key.evp()) != 1) {
    return MakeError(ErrorKind::kInternal, "{}: EVP_DigestVerifyInit failed", key.Describe());
  }
  if (key.type() == KeyType::kRsa && EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1) {
    return MakeError(ErrorKind::kInternal, "{}: cannot select PKCS#1 v1.5", key.Describe());
  }
  int rc = EVP_DigestVerify(md.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                            signature.size(), reinterpret_cast<const unsigned char*>(data.data()),
                            data.size());
  if (rc != 1) {
    return MakeError(ErrorKind::kIntegrity, "{}: signature does not verify ({} over {} bytes)",
                     key.Describe(),
                     key.type() == KeyType::kEd25519     ? "Ed25519"
                     : key.type() == KeyType::kEcdsaP384 ? "SHA-384"
                                                         : "SHA-256",
                     data.size());
  }
  return Ok();
}

}  // namespace verified::signature
