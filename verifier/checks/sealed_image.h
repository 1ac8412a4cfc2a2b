// What a sealed image itself says it runs: entrypoint, arguments, environment, working
// directory and user from the engine's stored image config (ResolvedImage::config, already
// hash-checked; never from the container spec), and the image directories no mount may
// touch, from its merged layers.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "verifier/checks/sealed_options.h"
#include "verifier/content/merged_tree.h"
#include "verifier/core/result.h"
#include "verifier/store/resolved_image.h"

namespace verified {

/// The image's user, resolved against its own /etc/passwd and /etc/group.
struct ImageUser {
  std::string spec;   ///< as written in the config ("" = root)
  std::string error;  ///< why it could not be resolved ("" when resolved)
  uint32_t uid = 0;
  uint32_t gid = 0;
  std::vector<uint32_t> groups;  ///< gid plus the groups that list the user as a member
  /// The user's home directory in the image's /etc/passwd, "/" when the user has no entry
  /// there (runc's and libpod's fallback); "" when the user could not be resolved.
  std::string home;

  /// "'app' (uid 1000, gid 1000)" or "root (uid 0, gid 0)".
  std::string Describe() const;
};

/// An image directory a mount may not cover or enter, and why.
struct ProtectedDir {
  std::string rel;     ///< resolved relative path ("" = the root)
  std::string reason;  ///< "holds /bin/app", "on the image's PATH", "listed in protect"
};

/// Everything a sealed check compares the container against.
struct ImageIntent {
  std::vector<std::string> entrypoint;
  std::vector<std::string> cmd;
  std::vector<std::string> env;  ///< "NAME=value"
  std::string workdir;           ///< "/" when the image sets none
  ImageUser user;
  std::vector<ProtectedDir> protected_dirs;  ///< sorted by path
};

/// Docker's PATH for images that set none (moby oci/defaults.go DefaultPathEnv).
inline constexpr const char* kEngineDefaultPath =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// Reads the intent. Fails with kParse when the config's fields have the wrong types.
/// Protected directories: every directory holding an executable regular file, a shared
/// library (*.so, *.so.N) or a symlink resolving to one; every directory on the image's PATH;
/// the `protect` option's paths. An unresolvable user is recorded in `user.error`, not
/// returned as an error (the check then refuses the container, saying why).
Result<ImageIntent> ReadImageIntent(const ResolvedImage& image, const MergedTree& tree,
                                    const SealedOptions& options);

/// Parses /etc/passwd-style text into name -> (uid, gid); malformed lines are skipped.
std::map<std::string, std::pair<uint32_t, uint32_t>> ParsePasswd(std::string_view text);

/// Parses /etc/group-style text into group name -> (gid, member names).
std::map<std::string, std::pair<uint32_t, std::vector<std::string>>> ParseGroup(
    std::string_view text);

}  // namespace verified
