// fill_registrations CONFIG_DIR COUNT: adds COUNT synthetic registrations (distinct names and
// chains) through the real RegistrationStore, for the decision-time benchmark.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "verifier/crypto/sha256.h"
#include "verifier/image/digest.h"
#include "verifier/registry/registration_store.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s CONFIG_DIR COUNT\n", argv[0]);
    return 2;
  }
  verified::RegistrationStore store(argv[1]);
  long count = strtol(argv[2], nullptr, 10);
  for (long i = 0; i < count; ++i) {
    verified::Registration r;
    r.name = "registry.example.com/bench/image" + std::to_string(i) + ":1";
    for (int l = 0; l < 5; ++l) {
      r.diff_ids.push_back("sha256:" + verified::Sha256Hex(r.name + std::to_string(l)));
    }
    r.chain_ids = verified::ChainIds(r.diff_ids);
    r.image_id = "sha256:" + verified::Sha256Hex(r.name);
    r.registered_at = "2026-01-01T00:00:00Z";
    r.registered_by = "bench";
    r.engine = "docker";
    auto st = store.Put(r);
    if (!st.ok()) {
      fprintf(stderr, "%s\n", st.error().What().c_str());
      return 1;
    }
  }
  return 0;
}
