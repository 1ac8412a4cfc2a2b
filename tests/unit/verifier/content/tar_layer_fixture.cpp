#include "tar_layer_fixture.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <stdexcept>

#include "verifier/core/base64.h"
#include "verifier/content/crc64.h"
#include "verifier/crypto/sha256.h"

namespace verified::content::fixture {
namespace {

void Check(bool ok, const std::string& what) {
  if (!ok) throw std::runtime_error(what + ": " + strerror(errno));
}

Entry Make(Entry::Kind kind, std::string name, uint32_t mode) {
  Entry e;
  e.kind = kind;
  e.name = std::move(name);
  e.mode = mode;
  e.uid = geteuid();
  e.gid = getegid();
  return e;
}

// Go's formatOctal: zero-padded to the field width minus one, then NUL.
void Octal(char* field, size_t width, uint64_t v) {
  std::string s = fmt::format("{:o}", v);
  if (s.size() < width - 1) s = std::string(width - 1 - s.size(), '0') + s;
  memcpy(field, s.data(), std::min(s.size(), width));
  if (s.size() < width) field[s.size()] = '\0';
}

void Str(char* field, size_t width, const std::string& s) {
  memcpy(field, s.data(), std::min(s.size(), width));
}

std::string Header(const std::string& name, char type, uint64_t size, const Entry& e,
                   const std::string& link, Style style) {
  char b[512];
  memset(b, 0, sizeof(b));
  Str(b, 100, name);
  Octal(b + 100, 8, e.mode);
  Octal(b + 108, 8, e.uid);
  Octal(b + 116, 8, e.gid);
  Octal(b + 124, 12, size);
  Octal(b + 136, 12, static_cast<uint64_t>(e.mtime));
  b[156] = type;
  Str(b + 157, 100, link);
  if (style == Style::kGnu) {
    memcpy(b + 257, "ustar  \0", 8);
  } else {
    memcpy(b + 257,
           "ustar\0"
           "00",
           8);
  }
  Str(b + 265, 32, e.uid == 0 ? "root" : "");
  Str(b + 297, 32, e.gid == 0 ? "root" : "");
  Octal(b + 329, 8, e.devmajor);
  Octal(b + 337, 8, e.devminor);
  memset(b + 148, ' ', 8);
  unsigned sum = 0;
  for (unsigned char c : std::string(b, 512)) sum += c;
  Octal(b + 148, 7, sum);
  b[155] = ' ';
  return std::string(b, 512);
}

std::string Pad(size_t n) { return std::string((512 - n % 512) % 512, '\0'); }

std::string PaxRecord(const std::string& k, const std::string& v) {
  // "%d %s=%s\n" where %d counts the whole record, itself included.
  size_t body = 1 + k.size() + 1 + v.size() + 1;
  size_t n = body + 1;
  while (std::to_string(n).size() + body != n) n = std::to_string(n).size() + body;
  return std::to_string(n) + " " + k + "=" + v + "\n";
}

std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"')
      out += "\\\"";
    else if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else if (c == '\t')
      out += "\\t";
    else if (c < 0x20 || c == '<' || c == '>' || c == '&')
      out += fmt::format("\\u{:04x}", c);
    else
      out += static_cast<char>(c);
  }
  return out + "\"";
}

bool ValidUtf8(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return false;
    i += n;
  }
  return true;
}

std::string CString(const char* p, size_t n) { return std::string(p, strnlen(p, n)); }

uint64_t ParseOctal(const char* p, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i)
    if (p[i] >= '0' && p[i] <= '7') v = v * 8 + static_cast<uint64_t>(p[i] - '0');
  return v;
}

std::string CleanName(std::string n) {
  while (n.rfind("./", 0) == 0) n = n.substr(2);
  while (!n.empty() && n.back() == '/') n.pop_back();
  return n;
}

void SetTimes(const std::string& path, const Entry& e, bool nofollow) {
  struct timespec ts[2];
  ts[0].tv_sec = ts[1].tv_sec = e.mtime;
  ts[0].tv_nsec = ts[1].tv_nsec = e.mtime_nsec;
  Check(utimensat(AT_FDCWD, path.c_str(), ts, nofollow ? AT_SYMLINK_NOFOLLOW : 0) == 0,
        "utimensat " + path);
}

void MkdirAll(const std::string& path) {
  std::string cur;
  std::stringstream ss(path);
  std::string comp;
  while (std::getline(ss, comp, '/')) {
    if (comp.empty()) {
      cur = "/";
      continue;
    }
    cur += (cur.empty() || cur == "/" ? "" : "/") + comp;
    if (mkdir(cur.c_str(), 0755) != 0 && errno != EEXIST) Check(false, "mkdir " + cur);
  }
}

}  // namespace

Entry Dir(std::string name, uint32_t mode) { return Make(Entry::kDir, std::move(name), mode); }
Entry File(std::string name, std::string content, uint32_t mode) {
  Entry e = Make(Entry::kFile, std::move(name), mode);
  e.content = std::move(content);
  return e;
}
Entry Symlink(std::string name, std::string target) {
  Entry e = Make(Entry::kSymlink, std::move(name), 0777);
  e.link = std::move(target);
  return e;
}
Entry Hardlink(std::string name, std::string target) {
  Entry e = Make(Entry::kHardlink, std::move(name), 0644);
  e.link = std::move(target);
  return e;
}
Entry Whiteout(std::string name) {
  auto slash = name.rfind('/');
  std::string dir = slash == std::string::npos ? "" : name.substr(0, slash + 1);
  std::string base = slash == std::string::npos ? name : name.substr(slash + 1);
  return Make(Entry::kWhiteout, dir + ".wh." + base, 0600);
}
Entry Opaque(std::string dir) {
  return Make(Entry::kOpaque, dir + (dir.empty() || dir.back() == '/' ? "" : "/") + ".wh..wh..opq",
              0755);
}

std::string BuildTar(const std::vector<Entry>& entries, Style style, size_t trailing) {
  std::string out;
  for (const auto& e : entries) {
    char type = '0';
    uint64_t size = 0;
    switch (e.kind) {
      case Entry::kDir:
        type = '5';
        break;
      case Entry::kFile:
        size = e.content.size();
        break;
      case Entry::kSymlink:
        type = '2';
        break;
      case Entry::kHardlink:
        type = '1';
        break;
      case Entry::kFifo:
        type = '6';
        break;
      case Entry::kChar:
        type = '3';
        break;
      case Entry::kWhiteout:
      case Entry::kOpaque:
        break;
    }
    std::string name = e.name, link = e.link;
    bool long_name = name.size() > 100, long_link = link.size() > 100;
    if (style == Style::kGnu) {
      if (long_link) {
        Entry m = e;
        m.mode = 0;
        out += Header("././@LongLink", 'K', link.size() + 1, m, "", style);
        out += link + '\0' + Pad(link.size() + 1);
        link = link.substr(0, 100);
      }
      if (long_name) {
        Entry m = e;
        m.mode = 0;
        out += Header("././@LongLink", 'L', name.size() + 1, m, "", style);
        out += name + '\0' + Pad(name.size() + 1);
        name = name.substr(0, 100);
      }
    } else {
      std::map<std::string, std::string> recs;
      if (long_name) recs["path"] = name;
      if (long_link) recs["linkpath"] = link;
      if (e.mtime_nsec != 0) recs["mtime"] = fmt::format("{}.{:09d}", e.mtime, e.mtime_nsec);
      for (const auto& [k, v] : e.xattrs) recs["SCHILY.xattr." + k] = v;
      if (!recs.empty()) {
        std::string data;
        for (const auto& [k, v] : recs) data += PaxRecord(k, v);
        std::string base = name.substr(name.find_last_of('/', name.size() - 2) + 1);
        std::string pax_name = ("PaxHeaders.0/" + base).substr(0, 99);
        out += Header(pax_name, 'x', data.size(), e, "", style);
        out += data + Pad(data.size());
        if (long_name) name = name.substr(0, 100);
        if (long_link) link = link.substr(0, 100);
      }
    }
    out += Header(name, type, size, e, link, style);
    out += e.content + Pad(e.content.size());
  }
  out += std::string(1024 + trailing, '\0');
  return out;
}

std::string DisassembleTar(const std::string& tar) {
  std::string out;
  int64_t position = 0;
  auto segment = [&](size_t from, size_t to) {
    if (to <= from) return;
    out += fmt::format("{{\"type\":2,\"payload\":\"{}\",\"position\":{}}}\n",
                       Base64Encode(std::string_view(tar).substr(from, to - from)), position++);
  };
  auto file = [&](const std::string& name, uint64_t size, const std::string& content) {
    std::string name_part = ValidUtf8(name) ? "\"name\":" + JsonString(name)
                                            : "\"name_raw\":\"" + Base64Encode(name) + "\"";
    if (size == 0) {
      out += fmt::format("{{\"type\":1,{},\"payload\":null,\"position\":{}}}\n", name_part,
                         position++);
      return;
    }
    Crc64 crc;
    crc.Update(content.data(), content.size());
    out += fmt::format("{{\"type\":1,{},\"size\":{},\"payload\":\"{}\",\"position\":{}}}\n",
                       name_part, size, Base64Encode(crc.Sum()), position++);
  };
  size_t pos = 0, seg = 0;
  std::string pax_path, gnu_name;
  while (pos + 512 <= tar.size()) {
    const char* b = tar.data() + pos;
    if (std::string(b, 512) == std::string(512, '\0')) {
      size_t end = std::min(tar.size(), pos + 1024);
      segment(seg, end);
      for (size_t at = end; at < tar.size(); at += 1u << 20) {
        segment(at, std::min(tar.size(), at + (1u << 20)));
      }
      return out;
    }
    char type = b[156];
    uint64_t size = ParseOctal(b + 124, 12);
    if (type == 'x' || type == 'g' || type == 'L' || type == 'K') {
      std::string data = tar.substr(pos + 512, size);
      if (type == 'x') {
        size_t at = 0;
        while (at < data.size()) {
          size_t sp = data.find(' ', at);
          size_t n = std::stoul(data.substr(at, sp - at));
          std::string rec = data.substr(sp + 1, n - (sp - at) - 2);
          at += n;
          if (rec.rfind("path=", 0) == 0) pax_path = rec.substr(5);
        }
      }
      if (type == 'L') gnu_name = CString(data.data(), data.size());
      pos += 512 + size + Pad(size).size();
      if (type == 'g') {
        segment(seg, pos);
        file(CString(b, 100), 0, "");
        seg = pos;
      }
      continue;
    }
    std::string name = CString(b, 100);
    if (memcmp(b + 257, "ustar\0", 6) == 0 && b[345] != '\0') {
      name = CString(b + 345, 155) + "/" + name;
    }
    if (!pax_path.empty()) name = pax_path;
    if (!gnu_name.empty()) name = gnu_name;
    pax_path.clear();
    gnu_name.clear();
    pos += 512;
    segment(seg, pos);
    uint64_t content_size = (type >= '1' && type <= '6') ? 0 : size;
    file(name, size, tar.substr(pos, content_size));
    pos += content_size;
    seg = pos;
    pos += Pad(content_size).size();
  }
  segment(seg, tar.size());
  return out;
}

std::string Gzip(const std::string& data) {
  z_stream zs{};
  deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, data.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

void Extract(const std::vector<Entry>& entries, const std::string& dir) {
  bool root = IsRoot();
  std::vector<const Entry*> dirs;
  for (const auto& e : entries) {
    std::string name = CleanName(e.name);
    std::string parent = name.find('/') == std::string::npos ? "" : name.substr(0, name.rfind('/'));
    std::string base = name.substr(name.rfind('/') == std::string::npos ? 0 : name.rfind('/') + 1);
    if (!parent.empty()) MkdirAll(dir + "/" + parent);
    std::string pdir = parent.empty() ? dir : dir + "/" + parent;
    std::string path = dir + "/" + name;
    switch (e.kind) {
      case Entry::kOpaque:
        Check(lsetxattr(pdir.c_str(), "trusted.overlay.opaque", "y", 1, 0) == 0, "opaque " + pdir);
        continue;
      case Entry::kWhiteout: {
        std::string target = pdir + "/" + base.substr(4);
        Check(mknod(target.c_str(), S_IFCHR, makedev(0, 0)) == 0, "mknod " + target);
        if (root) Check(lchown(target.c_str(), e.uid, e.gid) == 0, "chown " + target);
        continue;
      }
      case Entry::kDir:
        if (mkdir(path.c_str(), 0700) != 0) Check(errno == EEXIST, "mkdir " + path);
        dirs.push_back(&e);
        break;
      case Entry::kFile: {
        int fd = open(path.c_str(), O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0600);
        Check(fd >= 0, "create " + path);
        Check(
            write(fd, e.content.data(), e.content.size()) == static_cast<ssize_t>(e.content.size()),
            "write " + path);
        close(fd);
        break;
      }
      case Entry::kSymlink:
        Check(symlink(e.link.c_str(), path.c_str()) == 0, "symlink " + path);
        break;
      case Entry::kHardlink:
        Check(link((dir + "/" + CleanName(e.link)).c_str(), path.c_str()) == 0, "link " + path);
        continue;  // moby sets neither times nor mode through a hard link's own header
      case Entry::kFifo:
        Check(mkfifo(path.c_str(), 0600) == 0, "mkfifo " + path);
        break;
      case Entry::kChar:
        Check(mknod(path.c_str(), S_IFCHR | 0600, makedev(e.devmajor, e.devminor)) == 0,
              "mknod " + path);
        break;
    }
    if (root) Check(lchown(path.c_str(), e.uid, e.gid) == 0, "chown " + path);
    for (const auto& [k, v] : e.xattrs) {
      Check(lsetxattr(path.c_str(), k.c_str(), v.data(), v.size(), 0) == 0, "setxattr " + path);
    }
    if (e.kind != Entry::kSymlink) Check(chmod(path.c_str(), e.mode) == 0, "chmod " + path);
    if (e.kind != Entry::kDir) SetTimes(path, e, e.kind == Entry::kSymlink);
  }
  for (const Entry* e : dirs) SetTimes(dir + "/" + CleanName(e->name), *e, false);
}

std::string DiffId(const std::string& tar) { return Sha256Digest(tar); }

LayerLocation DiskLayer::Location(bool with_tar_split, bool with_blob) const {
  LayerLocation l;
  l.diff_id = diff_id;
  l.diff_dir = diff_dir;
  if (with_tar_split) l.tar_split = tar_split;
  if (with_blob) l.blob = blob;
  return l;
}

DiskLayer MakeLayer(const std::string& root, const std::string& name,
                    const std::vector<Entry>& entries, Style style) {
  DiskLayer l;
  std::string base = root + "/" + name;
  MkdirAll(base + "/diff");
  l.diff_dir = base + "/diff";
  l.tar = BuildTar(entries, style);
  l.diff_id = DiffId(l.tar);
  l.tar_split = base + "/tar-split.json.gz";
  WriteFile(l.tar_split, Gzip(DisassembleTar(l.tar)));
  l.blob = base + "/blob.tar.gz";
  WriteFile(l.blob, Gzip(l.tar));
  Extract(entries, l.diff_dir);
  return l;
}

std::vector<Entry> TypicalEntries() {
  std::mt19937_64 rng(42);
  std::string big(3u << 20, '\0');
  for (auto& c : big) c = static_cast<char>(rng());
  Entry conf = File("etc/conf", "a=1\n", 0600);
  conf.xattrs = {{"user.note", "hello"}};
  Entry nsec = File("etc/nsec", "x\n");
  nsec.mtime_nsec = 123456789;
  std::string long_name = "etc/" + std::string(150, 'n');
  return {
      Dir("bin/"),
      File("bin/tool", big, 0755),
      Symlink("bin/sh", "tool"),
      Hardlink("bin/tool2", "bin/tool"),
      Dir("etc/"),
      File("etc/empty", ""),
      conf,
      nsec,
      File(long_name, "long\n"),
      Dir("opt/", 0700),
      File("opt/suid", "s", 04755),
      Symlink("opt/abs", "/etc/passwd"),
      File("usr/share/doc/readme", "implicit parents\n"),
  };
}

bool IsRoot() { return geteuid() == 0; }

}  // namespace verified::content::fixture
