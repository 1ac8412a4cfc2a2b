#include "verifier/content/tar_split_verify.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cstdlib>

#include "tar_layer_fixture.h"
#include "verifier/core/base64.h"

namespace verified::content {
namespace {

using fixture::DiskLayer;
using fixture::TempDir;

class TarSplitVerify : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fixture::IsRoot()) GTEST_SKIP() << "needs root (chown, mknod, trusted.* xattrs)";
  }
  Result<LayerOutcome> Verify(const DiskLayer& l, Recording* rec = nullptr) {
    return VerifyTarSplitLayer(l.diff_dir, l.tar_split, l.diff_id, ws_, rec);
  }
  // Asserts a mismatch naming `file` whose message contains `words`.
  void ExpectMismatch(const DiskLayer& l, const std::string& file, const std::string& words) {
    auto r = Verify(l);
    ASSERT_TRUE(r.ok()) << r.error().What();
    EXPECT_FALSE(r->ok);
    EXPECT_EQ(r->file, file);
    EXPECT_NE(r->message.find(words), std::string::npos) << r->message;
  }
  TempDir tmp_;
  Workspace ws_;
};

TEST_F(TarSplitVerify, ReassemblesTheExactStreamOfPaxAndGnuLayers) {
  for (auto style : {fixture::Style::kPax, fixture::Style::kGnu}) {
    auto entries = fixture::TypicalEntries();
    if (style == fixture::Style::kGnu) {
      // Plain GNU headers carry neither xattrs nor sub-second times.
      for (auto& e : entries) {
        e.xattrs.clear();
        e.mtime_nsec = 0;
      }
    }
    DiskLayer l = fixture::MakeLayer(tmp_.path(), style == fixture::Style::kPax ? "pax" : "gnu",
                                     entries, style);
    auto r = Verify(l);
    ASSERT_TRUE(r.ok()) << r.error().What();
    EXPECT_TRUE(r->ok) << r->file << ": " << r->message;
    EXPECT_EQ(r->digest, l.diff_id);
    EXPECT_EQ(r->bytes, l.tar.size());
  }
}

TEST_F(TarSplitVerify, ReassemblesWhiteoutsOpaqueDirsAndDevices) {
  auto entries = std::vector<fixture::Entry>{
      fixture::Dir("etc/"),    fixture::Whiteout("etc/passwd"), fixture::Dir("var/"),
      fixture::Opaque("var/"), fixture::File("var/new", "n\n"), fixture::Opaque("")};
  fixture::Entry fifo = fixture::File("run/fifo", "");
  fifo.kind = fixture::Entry::kFifo;
  fixture::Entry null = fixture::File("dev/null", "", 0666);
  null.kind = fixture::Entry::kChar;
  null.devmajor = 1;
  null.devminor = 3;
  entries.push_back(fifo);
  entries.push_back(null);
  DiskLayer l = fixture::MakeLayer(tmp_.path(), "wh", entries);
  auto r = Verify(l);
  ASSERT_TRUE(r.ok()) << r.error().What();
  EXPECT_TRUE(r->ok) << r->file << ": " << r->message;
  ASSERT_EQ(removexattr((l.diff_dir + "/var").c_str(), "trusted.overlay.opaque"), 0);
  ExpectMismatch(l, "var", "lost its opaque marker");
  ASSERT_EQ(setxattr((l.diff_dir + "/var").c_str(), "trusted.overlay.opaque", "y", 1, 0), 0);
  ASSERT_EQ(setxattr((l.diff_dir + "/etc").c_str(), "trusted.overlay.opaque", "y", 1, 0), 0);
  ExpectMismatch(l, "etc", "opaque marker the layer does not have");
  ASSERT_EQ(removexattr((l.diff_dir + "/etc").c_str(), "trusted.overlay.opaque"), 0);
  ASSERT_EQ(unlink((l.diff_dir + "/etc/passwd").c_str()), 0);
  ExpectMismatch(l, "etc/passwd", "missing on disk");
}

TEST_F(TarSplitVerify, NamesTheFileWhoseBytesChanged) {
  DiskLayer l = fixture::MakeLayer(tmp_.path(), "l", fixture::TypicalEntries());
  std::string path = l.diff_dir + "/bin/tool";
  struct stat before;
  ASSERT_EQ(stat(path.c_str(), &before), 0);
  int fd = open(path.c_str(), O_WRONLY);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(pwrite(fd, "X", 1, 2000000), 1);
  close(fd);
  struct timespec ts[2] = {before.st_atim, before.st_mtim};
  ASSERT_EQ(utimensat(AT_FDCWD, path.c_str(), ts, 0), 0);  // even with the mtime restored
  auto r = Verify(l);
  ASSERT_TRUE(r.ok()) << r.error().What();
  EXPECT_FALSE(r->ok);
  EXPECT_EQ(r->file, "bin/tool");
  EXPECT_NE(r->message.find("content differs"), std::string::npos) << r->message;
  EXPECT_NE(r->digest, l.diff_id);
}

TEST_F(TarSplitVerify, DetectsAddedRemovedRetypedAndChangedObjects) {
  std::vector<fixture::Entry> entries = fixture::TypicalEntries();
  {
    DiskLayer l = fixture::MakeLayer(tmp_.path(), "add", entries);
    fixture::WriteFile(l.diff_dir + "/etc/added", "x");
    ExpectMismatch(l, "etc/added", "on disk but not in the layer");
  }
  {
    DiskLayer l = fixture::MakeLayer(tmp_.path(), "rm", entries);
    ASSERT_EQ(unlink((l.diff_dir + "/etc/conf").c_str()), 0);
    ExpectMismatch(l, "etc/conf", "missing on disk");
  }
  {
    DiskLayer l = fixture::MakeLayer(tmp_.path(), "rm-empty", entries);
    ASSERT_EQ(unlink((l.diff_dir + "/etc/empty").c_str()), 0);
    ExpectMismatch(l, "etc/empty", "missing on disk");
  }
  {
    DiskLayer l = fixture::MakeLayer(tmp_.path(), "mode", entries);
    ASSERT_EQ(chmod((l.diff_dir + "/etc/conf").c_str(), 0666), 0);
    ExpectMismatch(l, "etc/conf", "has mode 0666 on disk but 0600");
  }
  {
    DiskLayer l = fixture::MakeLayer(tmp_.path(), "owner", entries);
    ASSERT_EQ(lchown((l.diff_dir + "/opt/suid").c_str(), 1000, 1000), 0);
    ExpectMismatch(l, "opt/suid", "owned by 1000:1000");
  }
  {
    // A file replaced by a symlink to a copy outside the layer: never followed.
    DiskLayer l = fixture::MakeLayer(tmp_.path(), "sym", entries);
    std::string outside = tmp_.path() + "/outside";
    fixture::WriteFile(outside, fixture::ReadFile(l.diff_dir + "/bin/tool"));
    ASSERT_EQ(unlink((l.diff_dir + "/bin/tool").c_str()), 0);
    ASSERT_EQ(symlink(outside.c_str(), (l.diff_dir + "/bin/tool").c_str()), 0);
    ExpectMismatch(l, "bin/tool", "symlink");
  }
  {
    DiskLayer l = fixture::MakeLayer(tmp_.path(), "dirsym", entries);
    ASSERT_EQ(system(("mv " + l.diff_dir + "/etc " + tmp_.path() + "/etc-moved").c_str()), 0);
    ASSERT_EQ(symlink((tmp_.path() + "/etc-moved").c_str(), (l.diff_dir + "/etc").c_str()), 0);
    auto r = Verify(l);
    ASSERT_TRUE(r.ok()) << r.error().What();
    EXPECT_FALSE(r->ok);
    EXPECT_EQ(r->file.rfind("etc", 0), 0u) << r->file;
  }
  {
    DiskLayer l = fixture::MakeLayer(tmp_.path(), "link", entries);
    ASSERT_EQ(unlink((l.diff_dir + "/bin/sh").c_str()), 0);
    ASSERT_EQ(symlink("busybox", (l.diff_dir + "/bin/sh").c_str()), 0);
    ExpectMismatch(l, "bin/sh", "points at 'busybox' on disk but at 'tool'");
  }
  {
    DiskLayer l = fixture::MakeLayer(tmp_.path(), "hard", entries);
    std::string p = l.diff_dir + "/bin/tool2";
    std::string data = fixture::ReadFile(p);
    ASSERT_EQ(unlink(p.c_str()), 0);
    fixture::WriteFile(p, data);
    auto r = Verify(l);
    ASSERT_TRUE(r.ok());
    EXPECT_FALSE(r->ok);
  }
  {
    DiskLayer l = fixture::MakeLayer(tmp_.path(), "xattr", entries);
    // A file capability is exactly the kind of change a privilege escalation needs.
    ASSERT_EQ(setxattr((l.diff_dir + "/bin/tool").c_str(), "user.cap", "x", 1, 0), 0);
    ExpectMismatch(l, "bin/tool", "xattrs");
  }
  {
    DiskLayer l = fixture::MakeLayer(tmp_.path(), "size", entries);
    fixture::WriteFile(l.diff_dir + "/etc/conf", "a=12\n");
    ExpectMismatch(l, "etc/conf", "5 bytes on disk but 4");
  }
}

TEST_F(TarSplitVerify, RefusesTarSplitThatEscapesOrSuppliesContent) {
  DiskLayer l = fixture::MakeLayer(tmp_.path(), "l", {fixture::File("a", "hello")});
  std::string lines = fixture::DisassembleTar(l.tar);
  auto verify_lines = [&](const std::string& text) {
    fixture::WriteFile(l.tar_split, fixture::Gzip(text));
    return Verify(l);
  };
  // The file entry renamed to escape the layer: the header and entry no longer agree.
  std::string escaped = lines;
  escaped.replace(escaped.find("\"name\":\"a\""), 10, "\"name\":\"../a\"");
  auto r = verify_lines(escaped);
  EXPECT_FALSE(r.ok());
  // Content smuggled into a segment (file entry of size 0): the bytes would not come from disk.
  std::string tar = l.tar;
  std::string smuggled = fmt::format(
      "{{\"type\":2,\"payload\":\"{}\",\"position\":0}}\n"
      "{{\"type\":1,\"name\":\"a\",\"payload\":null,\"position\":1}}\n"
      "{{\"type\":2,\"payload\":\"{}\",\"position\":2}}\n",
      Base64Encode(tar.substr(0, 512)), Base64Encode(tar.substr(512)));
  r = verify_lines(smuggled);
  ASSERT_FALSE(r.ok());
  // A tar-split that is not gzip, and one that ends early.
  fixture::WriteFile(l.tar_split, "garbage");
  EXPECT_FALSE(Verify(l).ok());
  r = verify_lines(lines.substr(0, lines.rfind("{\"type\":1")));
  EXPECT_FALSE(r.ok());
}

TEST_F(TarSplitVerify, RefusesAbsoluteAndDotDotNamesInHeaders) {
  for (std::string name : {"/etc/passwd", "a/../../etc/passwd"}) {
    DiskLayer l = fixture::MakeLayer(tmp_.path(), "ok", {fixture::File("a", "x")});
    std::string tar = fixture::BuildTar({fixture::File(name, "x")});
    fixture::WriteFile(l.tar_split, fixture::Gzip(fixture::DisassembleTar(tar)));
    auto r = VerifyTarSplitLayer(l.diff_dir, l.tar_split, fixture::DiffId(tar), ws_, nullptr);
    ASSERT_FALSE(r.ok()) << name;
    EXPECT_EQ(r.error().kind(), ErrorKind::kUnsafePath) << r.error().What();
    ASSERT_EQ(system(("rm -rf " + tmp_.path() + "/ok").c_str()), 0);
  }
}

// GNU tar (an independent writer) produces the archive; our own scanner disassembles it.
TEST_F(TarSplitVerify, ReassemblesArchivesWrittenByGnuTar) {
  if (system("command -v tar > /dev/null 2>&1") != 0) GTEST_SKIP() << "no tar binary";
  std::string src = tmp_ / "src";
  std::string long_dir = src + "/" + std::string(120, 'd');
  fixture::WriteFile(long_dir + "/" + std::string(130, 'f'), "deep\n");
  fixture::WriteFile(src + "/a/b", std::string(70000, 'z'));
  ASSERT_EQ(symlink("b", (src + "/a/c").c_str()), 0);
  ASSERT_EQ(link((src + "/a/b").c_str(), (src + "/a/hard").c_str()), 0);
  // The gnu format stores whole seconds: give the sources whole-second times.
  ASSERT_EQ(
      system(("find " + src + " -exec sh -c 'touch -h -d @$(stat -c %Y \"$1\") \"$1\"' _ {} \\;")
                 .c_str()),
      0);
  for (std::string format : {"gnu", "posix"}) {
    std::string tarfile = tmp_ / ("layer-" + format + ".tar");
    std::string cmd = "tar --format=" + format + " --numeric-owner -C " + src + " -cf " + tarfile +
                      " . 2>/dev/null";
    ASSERT_EQ(system(cmd.c_str()), 0);
    std::string tar = fixture::ReadFile(tarfile);
    std::string diff = tmp_ / ("diff-" + format);
    ASSERT_EQ(
        system(("mkdir -p " + diff + " && tar --numeric-owner -xpf " + tarfile + " -C " + diff)
                   .c_str()),
        0);
    // GNU tar touches directory times while extracting children; restore them from the tree.
    ASSERT_EQ(
        system(("cd " + src + " && find . -type d -exec touch -r {} " + diff + "/{} \\;").c_str()),
        0);
    std::string ts = tmp_ / ("ts-" + format + ".gz");
    fixture::WriteFile(ts, fixture::Gzip(fixture::DisassembleTar(tar)));
    auto r = VerifyTarSplitLayer(diff, ts, fixture::DiffId(tar), ws_, nullptr);
    ASSERT_TRUE(r.ok()) << format << ": " << r.error().What();
    EXPECT_TRUE(r->ok) << format << ": " << r->file << " " << r->message;
  }
}

TEST_F(TarSplitVerify, RecordsManifestAndFingerprints) {
  DiskLayer l = fixture::MakeLayer(tmp_.path(), "l", fixture::TypicalEntries());
  Recording rec;
  auto r = Verify(l, &rec);
  ASSERT_TRUE(r.ok() && r->ok);
  const ExpectedNode* tool = rec.tree.Find("bin/tool");
  ASSERT_NE(tool, nullptr);
  EXPECT_EQ(tool->content_sha256.size(), 64u);
  EXPECT_EQ(rec.fps.count, 16u);  // 13 entries + 3 implicit directories (usr/share/doc)
}

}  // namespace
}  // namespace verified::content
