// attestation_bench: what reading an attestation costs at create, uncached, by report size.
//
//   attestation_bench [--runs N]
//
// For Trivy reports (cosign vuln predicate) of about 2 KiB, 500 KiB and 5 MiB, signed at
// run time with a fresh P-256 key (MakeAttestationBundle), measures the median of
// VerifyAttestationBundle: bundle parse, base64 decode, DSSE PAE signature check, Statement
// and predicate parse (what one stored attestation costs each create of an image whose rule
// has attestation requirements), and peak RSS of the process. Prints one line per size.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "bench/bench_util.h"
#include "verifier/attestation/attestation_bundle.h"
#include "verifier/attestation/attestation_signer.h"
#include "verifier/signature/key_generate.h"

namespace {

using namespace verified;
using Clock = std::chrono::steady_clock;

// A cosign vuln predicate listing `n` vulnerabilities with Trivy-like entries (~130 bytes).
nlohmann::json Report(size_t n) {
  nlohmann::json vulns = nlohmann::json::array();
  for (size_t i = 0; i < n; ++i) {
    vulns.push_back({{"VulnerabilityID", "CVE-2024-" + std::to_string(10000 + i)},
                     {"PkgName", "openssl"},
                     {"InstalledVersion", "3.0.1-r0"},
                     {"FixedVersion", "3.0.2-r0"},
                     {"Severity", i % 7 == 0 ? "HIGH" : "MEDIUM"},
                     {"Title", "a Trivy title of a typical length for a vulnerability"}});
  }
  return {
      {"scanner",
       {{"uri", "pkg:github/aquasecurity/trivy@0.58.1"},
        {"version", "0.58.1"},
        {"result",
         {{"SchemaVersion", 2}, {"Results", {{{"Target", "app"}, {"Vulnerabilities", vulns}}}}}}}},
      {"metadata", {{"scanFinishedOn", "2026-12-01T10:00:05Z"}}}};
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 20;
  if (argc == 3 && std::strcmp(argv[1], "--runs") == 0) runs = std::atoi(argv[2]);
  auto pair = signature::GenerateEcdsaP256("bench");
  if (!pair.ok()) return 1;
  auto key = signature::PrivateKey::ParsePem(pair->private_pem, "bench");
  if (!key.ok()) return 1;
  const std::string digest =
      "sha256:732112270d7e59418a8c080b134b24cabd67d250d0d0147a97ed95ba5c280aa4";
  std::printf("%-12s %12s %12s %14s\n", "vulns", "bundle_bytes", "median_ms", "peak_rss_mib");
  for (size_t n : {10, 2500, 25000}) {
    auto bundle = attestation::MakeAttestationBundle(*key, attestation::PredicateKind::kVuln,
                                                     Report(n), digest, "bench");
    if (!bundle.ok()) {
      std::fprintf(stderr, "%s\n", bundle.error().What().c_str());
      return 1;
    }
    std::vector<double> ms;
    for (int r = 0; r < runs; ++r) {
      auto t = Clock::now();
      auto v = attestation::VerifyAttestationBundle(*bundle, {key->public_key()});
      ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t).count());
      if (!v.ok()) return 1;
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    std::printf("%-12zu %12zu %12.3f %14.1f\n", n, bundle->size(), bench::Median(ms),
                ru.ru_maxrss / 1024.0);
  }
  return 0;
}
