// The DER SubjectPublicKeyInfo inside a key file, without parsing the key: enough to name it
// by fingerprint (the SHA-256 of those bytes, PublicKey::fingerprint) where nothing is verified
// with it. PublicKey::Parse starts here and then validates the key itself.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "verifier/core/result.h"

namespace verified::signature {

/// The DER of a key file's bytes: the file itself when it starts as DER does (0x30), else the
/// body of the one PEM "PUBLIC KEY" block it must be (surrounding whitespace allowed). kTooLarge
/// beyond kMaxPublicKeyFileBytes; kParse for another label, a second block, text around the
/// block, or base64 that is not strict. The DER itself is not checked.
Result<std::string> KeyFileDer(std::string_view text, std::string_view name);

/// Lowercase hex SHA-256 of KeyFileDer(text): what PublicKey::fingerprint() of a key parsed
/// from `text` is, when it parses.
Result<std::string> KeyFileFingerprint(std::string_view text, std::string_view name);

struct KeyDirectory;  // key_dir.h

/// A key file named by its fingerprint, unparsed.
struct KeyFingerprint {
  std::string name;         ///< the file's name without ".pub"
  std::string fingerprint;  ///< KeyFileFingerprint of its bytes
};

/// Key `name` of `keys` as LoadKey finds it (the same name, trust and size checks), named by
/// fingerprint without being parsed. Same restriction as ListKeyFingerprints; implemented in
/// key_dir.cpp.
Result<KeyFingerprint> LoadKeyFingerprint(const KeyDirectory& keys, std::string_view name);

/// Every key of `keys` as ListKeys finds them (the same names, order, trust checks and limits),
/// named by fingerprint without being parsed: KeyFileDer's errors where ListKeys would give
/// PublicKey::Parse's. Only for callers that verify nothing with the keys and compare
/// fingerprints with those of keys that were parsed and verified before (a cache); implemented
/// in key_dir.cpp.
Result<std::vector<KeyFingerprint>> ListKeyFingerprints(const KeyDirectory& keys);

}  // namespace verified::signature
