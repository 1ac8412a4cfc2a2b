#include "shim/runc_args.h"

#include <gtest/gtest.h>

namespace verified::shim {
namespace {

using Args = std::vector<std::string>;

RuncCommandLine Parse(const Args& a) {
  auto r = ParseRuncArgs(a);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().What());
  return r.ok() ? *r : RuncCommandLine{};
}

std::string ParseError(const Args& a) {
  auto r = ParseRuncArgs(a);
  EXPECT_FALSE(r.ok()) << "parsed: id=" << (r.ok() ? r->container_id : "");
  return r.ok() ? "" : r.error().What();
}

// The exact line containerd-shim-runc-v2 (go-runc) sends for Docker and Kubernetes.
TEST(RuncArgs, ContainerdShimCreateLine) {
  auto cl = Parse({"--root", "/run/containerd/runc/k8s.io", "--log", "/run/b/log.json",
                   "--log-format", "json", "--systemd-cgroup", "create", "--bundle", "/run/b",
                   "--pid-file", "/run/b/init.pid", "cid1"});
  EXPECT_EQ(cl.subcommand, "create");
  EXPECT_EQ(cl.container_id, "cid1");
  EXPECT_EQ(cl.bundle, "/run/b");
  EXPECT_EQ(cl.globals.log, "/run/b/log.json");
  EXPECT_EQ(cl.globals.log_format, "json");
  EXPECT_EQ(cl.globals.root, "/run/containerd/runc/k8s.io");
  EXPECT_TRUE(cl.globals.systemd_cgroup);
}

TEST(RuncArgs, FlagFormsAreEquivalent) {
  for (const Args& a : {Args{"-root=/r", "create", "-b", "/x", "id"},
                        Args{"--root", "/r", "create", "--bundle=/x", "id"},
                        Args{"-root", "/r", "create", "-bundle", "/x", "id"}}) {
    auto cl = Parse(a);
    EXPECT_EQ(cl.globals.root, "/r");
    EXPECT_EQ(cl.bundle, "/x");
    EXPECT_EQ(cl.container_id, "id");
  }
}

TEST(RuncArgs, FlagsAfterTheIdAreReorderedAsUrfaveCliV1Does) {
  auto cl = Parse({"create", "id", "--bundle", "/x", "--no-pivot"});
  EXPECT_EQ(cl.container_id, "id");
  EXPECT_EQ(cl.bundle, "/x");
  cl = Parse({"run", "id", "-d", "-b=/y"});
  EXPECT_EQ(cl.bundle, "/y");
  EXPECT_EQ(cl.container_id, "id");
  // "-d id": reorderArgs takes "id" as -d's value, Go's parser stops there, and runc 1.1
  // sees two positionals ("id", "-b=/y") and fails; so do we.
  ParseError({"run", "-d", "id", "-b=/y"});
}

TEST(RuncArgs, BoolFlagFollowedByIdThenMoreFlagsIsWhatRuncRejects) {
  // reorderArgs takes "id" as the value of --no-pivot; Go's flag parser then stops at it and
  // three positionals remain: runc itself fails, so must we.
  ParseError({"create", "--no-pivot", "id", "--bundle", "/x"});
}

TEST(RuncArgs, DefaultBundleIsEmpty) { EXPECT_EQ(Parse({"create", "id"}).bundle, ""); }

TEST(RuncArgs, LastValueWins) {
  EXPECT_EQ(Parse({"create", "--bundle", "/a", "--bundle", "/b", "id"}).bundle, "/b");
}

TEST(RuncArgs, BothSpellingsOfOneFlagIsAnError) {
  EXPECT_NE(ParseError({"create", "--bundle", "/a", "-b", "/b", "id"}).find("two forms"),
            std::string::npos);
}

TEST(RuncArgs, ExactlyOneContainerId) {
  ParseError({"create"});
  ParseError({"create", "a", "b"});
  ParseError({"create", "--bundle", "/x"});
}

TEST(RuncArgs, InvalidContainerIdsAreRefused) {
  ParseError({"create", ".."});
  ParseError({"create", "a/b"});
  ParseError({"create", "a b"});
}

TEST(RuncArgs, UnknownFlagsAreRefusedOnTheCreatePath) {
  EXPECT_NE(ParseError({"create", "--bogus", "id"}).find("not defined"), std::string::npos);
  ParseError({"--bogus", "create", "id"});
}

TEST(RuncArgs, AmbiguousValuesAreRefused) {
  // Go reads bundle "-b"; another grammar would not. Refuse rather than guess.
  EXPECT_NE(ParseError({"create", "--bundle", "-b", "id"}).find("ambiguous"), std::string::npos);
}

TEST(RuncArgs, BadSyntaxAndMissingValues) {
  ParseError({"---root", "x", "create", "id"});
  ParseError({"create", "id", "--bundle"});
  ParseError({"create", "--preserve-fds", "x", "id"});
  ParseError({"--debug=maybe", "create", "id"});
}

TEST(RuncArgs, DoubleDashEndsFlags) {
  auto cl = Parse({"--debug", "--", "create", "--", "id"});
  EXPECT_EQ(cl.subcommand, "create");
  EXPECT_EQ(cl.container_id, "id");
}

TEST(RuncArgs, RestoreAndRunHaveTheirFlags) {
  auto cl = Parse({"restore", "--image-path", "/ck", "--tcp-established", "--empty-ns", "network",
                   "--empty-ns", "ipc", "-d", "--bundle", "/b", "id"});
  EXPECT_EQ(cl.bundle, "/b");
  EXPECT_EQ(cl.container_id, "id");
  cl = Parse({"run", "--keep", "--no-subreaper", "--preserve-fds", "2", "id"});
  EXPECT_EQ(cl.container_id, "id");
}

TEST(RuncArgs, HelpIsNotACreate) {
  EXPECT_TRUE(Parse({"create", "--help"}).help);
  EXPECT_TRUE(Parse({"--help"}).globals.help);
  EXPECT_TRUE(Parse({"-v"}).globals.help);
}

TEST(RuncArgs, ExecFlagsMustPrecedeTheIdAndTheCommandIsKept) {
  auto cl = Parse({"exec", "--process", "/p.json", "--detach", "--pid-file", "/p", "cid"});
  EXPECT_EQ(cl.container_id, "cid");
  cl = Parse({"exec", "-t", "cid", "sh", "-c", "--bundle"});
  EXPECT_EQ(cl.container_id, "cid");
}

TEST(RuncArgs, GlobalsOnlyForPassthrough) {
  auto g = ParseRuncGlobals({"--root", "/r", "kill", "cid", "KILL"});
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->subcommand, "kill");
  EXPECT_EQ(g->subcommand_index, 2u);
  g = ParseRuncGlobals({"features"});
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->subcommand, "features");
  g = ParseRuncGlobals({});
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->subcommand, "");
}

TEST(RuncArgs, RootlessTakesAValueLikeRunc) {
  auto g = ParseRuncGlobals({"--rootless", "true", "delete", "id"});
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->subcommand, "delete");
  g = ParseRuncGlobals({"--rootless=auto", "--criu", "/usr/sbin/criu", "state", "id"});
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->subcommand, "state");
}

TEST(RuncArgs, MentionsCreatePath) {
  EXPECT_TRUE(MentionsCreatePath({"--weird", "run", "x"}));
  EXPECT_FALSE(MentionsCreatePath({"--weird", "kill", "x"}));
}

}  // namespace
}  // namespace verified::shim
