// A Docker overlay2 tree on disk whose container the real create decision allows, for fault
// tests: each breaks one input, decides again and records what it observed.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "unit/faults/fault_recorder.h"
#include "unit/support/fake_docker_tree.h"
#include "unit/support/temp_dir.h"
#include "verifier/decision/decide.h"

namespace verified::testing {

/// The fixture: policy `{"default":"allow"}` (or `policy` given to UsePolicy), a two-layer
/// image app:1 and a container of it, mounted as the mount table says. The constructor checks
/// that this healthy state is allowed, so a fault's deny is the fault's doing.
class FaultDecideTest : public ::testing::Test {
 protected:
  FaultDecideTest();

  /// Replaces policy.json with `text` (mode 0644, owned by root).
  void UsePolicy(const std::string& text);

  /// Makes the request about a new container of app:1 started as `typed` (e.g. the image ID):
  /// its bundle and mount table replace the first one's.
  void UseContainer(const std::string& typed);

  /// Registers app:1 with its real layer chain.
  void Register();

  /// Decides, records the row (area, fault, the verdict's reason) and returns the decision.
  Decision DecideAndRecord(const std::string& area, const std::string& fault);

  /// <data-root>/image/overlay2/layerdb/sha256/<hex of chain id i>
  std::string LayerDir(size_t i) const;

  TempDir tmp_;
  FakeDockerTree tree_;
  FakeImage image_;
  FakeContainer container_;
  CreateRequest req_;
};

}  // namespace verified::testing
