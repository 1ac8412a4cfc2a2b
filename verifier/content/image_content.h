// The merged view of an image, computed once per process and shared by the requirements that
// need it (no_shell, sealed): a create decision walks the image's layers at most once.
#pragma once

#include <memory>

#include "verifier/content/merged_tree.h"
#include "verifier/core/result.h"
#include "verifier/store/resolved_image.h"

namespace verified {

/// The merged tree of `image`'s layers. The last image asked about is kept (keyed by image ID
/// and layer directories), so a second requirement on the same image does not walk it again.
/// Fails as MergedTree::Build does. Not thread-safe (the runtime and verifiedctl are not
/// multi-threaded).
Result<std::shared_ptr<const MergedTree>> MergedTreeOf(const ResolvedImage& image);

}  // namespace verified
