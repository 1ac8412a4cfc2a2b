// fill_signatures CONFIG_DIR COUNT: stores COUNT valid simple-signing signatures, each for a
// distinct synthetic manifest (and config) of no image on this host, through the real signature
// store (records, manifest.json, the config index), signed by a key generated here and trusted
// as `bench-other`: the decision-time benchmark's 10,000 signatures for other digests.
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "verifier/crypto/sha256.h"
#include "verifier/signature/key_dir.h"
#include "verifier/signature/public_key.h"
#include "verifier/signature/signature_store.h"
#include "verifier/core/base64.h"

namespace {

using PKey = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

std::string PublicPem(EVP_PKEY* key) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(bio, key);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<size_t>(n));
  BIO_free(bio);
  return out;
}

std::string Sign(EVP_PKEY* key, const std::string& data) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  size_t len = 0;
  std::string sig;
  if (EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
      EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(data.data()),
                     data.size()) == 1) {
    sig.resize(len);
    if (EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                       reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1) {
      len = 0;
    }
    sig.resize(len);
  }
  EVP_MD_CTX_free(ctx);
  return sig;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s CONFIG_DIR COUNT\n", argv[0]);
    return 2;
  }
  std::string dir = argv[1];
  long count = strtol(argv[2], nullptr, 10);
  PKey key(EVP_EC_gen("P-256"), EVP_PKEY_free);
  if (!key) return 1;
  auto pub = verified::signature::PublicKey::Parse(PublicPem(key.get()), "bench-other");
  if (!pub.ok() || !verified::signature::AddKey(dir, *pub).ok()) {
    fprintf(stderr, "cannot add key bench-other\n");
    return 1;
  }
  for (long i = 0; i < count; ++i) {
    std::string config = "sha256:" + verified::Sha256Hex("bench config " + std::to_string(i));
    std::string manifest =
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+"
        "json\",\"config\":{\"mediaType\":\"application/vnd.docker.container.image.v1+json\","
        "\"size\":1000,\"digest\":\"" +
        config + "\"},\"layers\":[]}";
    std::string digest = verified::Sha256Digest(manifest);
    verified::signature::SignatureRecord r;
    r.digest = digest;
    r.payload =
        "{\"critical\":{\"identity\":{\"docker-reference\":\"registry.example.com/bench/other" +
        std::to_string(i) + "\"},\"image\":{\"docker-manifest-digest\":\"" + digest +
        "\"},\"type\":\"cosign container image signature\"},\"optional\":null}";
    r.signature_base64 = verified::Base64Encode(Sign(key.get(), r.payload));
    r.source = "fill_signatures";
    auto st = verified::signature::StoreSignature(dir, r, manifest);
    if (!st.ok()) {
      fprintf(stderr, "%s\n", st.error().What().c_str());
      return 1;
    }
  }
  return 0;
}
