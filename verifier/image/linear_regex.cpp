#include "verifier/image/linear_regex.h"

#include <cctype>
#include <memory>
#include <optional>

namespace verified {
namespace {

using ByteSet = std::bitset<256>;

// Deepest group nesting: the parser recurses once per group.
constexpr int kMaxDepth = 100;

struct Node {
  enum Kind { kSet, kCat, kAlt, kRepeat, kBegin, kEnd } kind = kCat;
  ByteSet set;             // kSet
  std::vector<Node> kids;  // kCat, kAlt: the parts; kRepeat: the one repeated node
  int min = 0, max = 0;    // kRepeat; max -1 = unbounded
};

ByteSet Range(unsigned char lo, unsigned char hi) {
  ByteSet s;
  for (unsigned c = lo; c <= hi; ++c) s.set(c);
  return s;
}

ByteSet Digits() { return Range('0', '9'); }
ByteSet Word() { return Range('a', 'z') | Range('A', 'Z') | Digits() | Range('_', '_'); }
ByteSet Space() {
  ByteSet s;
  for (char c : std::string_view(" \t\n\r\f\v")) s.set(static_cast<unsigned char>(c));
  return s;
}

}  // namespace

// Recursive-descent parser to a small tree, then Thompson's construction into the VM
// program. Kept a class so the error helper can name the offset.
class RegexCompiler {
 public:
  RegexCompiler(std::string_view pattern, LinearRegex& out) : p_(pattern), out_(out) {}

  Status Run() {
    VERIFIED_ASSIGN_OR_RETURN(Node root, ParseAlt(0));
    if (pos_ != p_.size()) return Fail("unmatched ')'");
    VERIFIED_RETURN_IF_ERROR(Emit(root));
    return Push({LinearRegex::Inst::kMatch, 0, 0});
  }

 private:
  template <typename... Args>
  Error Fail(fmt::format_string<Args...> what, Args&&... args) {
    return MakeError(ErrorKind::kInvalidArgument, "regex '{}' at offset {}: {}", p_, pos_,
                     fmt::format(what, std::forward<Args>(args)...));
  }

  bool AtEnd() const { return pos_ >= p_.size(); }
  char Peek() const { return p_[pos_]; }

  Result<Node> ParseAlt(int depth) {
    Node alt;
    alt.kind = Node::kAlt;
    for (;;) {
      VERIFIED_ASSIGN_OR_RETURN(Node cat, ParseCat(depth));
      alt.kids.push_back(std::move(cat));
      if (AtEnd() || Peek() != '|') break;
      ++pos_;
    }
    if (alt.kids.size() == 1) return std::move(alt.kids[0]);
    return alt;
  }

  Result<Node> ParseCat(int depth) {
    Node cat;
    cat.kind = Node::kCat;
    while (!AtEnd() && Peek() != '|' && Peek() != ')') {
      VERIFIED_ASSIGN_OR_RETURN(Node atom, ParseAtom(depth));
      VERIFIED_RETURN_IF_ERROR(ParseQuantifier(atom));
      cat.kids.push_back(std::move(atom));
    }
    return cat;
  }

  Result<Node> ParseAtom(int depth) {
    char c = p_[pos_++];
    Node n;
    n.kind = Node::kSet;
    switch (c) {
      case '(':
        return ParseGroup(depth);
      case '[': {
        VERIFIED_ASSIGN_OR_RETURN(n.set, ParseClass());
        return n;
      }
      case '.':
        n.set = ByteSet().set().reset('\n');
        return n;
      case '^':
        n.kind = Node::kBegin;
        return n;
      case '$':
        n.kind = Node::kEnd;
        return n;
      case '\\': {
        VERIFIED_ASSIGN_OR_RETURN(n.set, ParseEscape());
        return n;
      }
      case '*':
      case '+':
      case '?':
        --pos_;
        return Fail("'{}' has nothing to repeat", c);
      case '{':
        if (CountAt(pos_)) {
          --pos_;
          return Fail("a count has nothing to repeat");
        }
        break;
      default:
        break;
    }
    n.set.set(static_cast<unsigned char>(c));
    return n;
  }

  Result<Node> ParseGroup(int depth) {
    if (depth >= kMaxDepth) return Fail("groups nested deeper than {}", kMaxDepth);
    if (!AtEnd() && Peek() == '?') {
      // Only the non-capturing group: lookaround, named groups and inline flags differ
      // between ECMAScript and RE2, or cannot be matched in linear time.
      if (pos_ + 1 >= p_.size() || p_[pos_ + 1] != ':') {
        return Fail("only (?: ) groups are supported (no lookaround, names or flags)");
      }
      pos_ += 2;
    }
    VERIFIED_ASSIGN_OR_RETURN(Node inner, ParseAlt(depth + 1));
    if (AtEnd() || Peek() != ')') return Fail("missing ')'");
    ++pos_;
    return inner;
  }

  // True when p_[i..] continues a valid {n}, {n,} or {n,m} whose '{' is at i - 1. Anything
  // else is a literal '{', as in both ECMAScript (Annex B) and RE2.
  bool CountAt(size_t i) const {
    size_t digits = 0;
    while (i < p_.size() && std::isdigit(static_cast<unsigned char>(p_[i]))) ++i, ++digits;
    if (digits == 0 || i >= p_.size()) return false;
    if (p_[i] == '}') return true;
    if (p_[i++] != ',') return false;
    while (i < p_.size() && std::isdigit(static_cast<unsigned char>(p_[i]))) ++i;
    return i < p_.size() && p_[i] == '}';
  }

  int ReadNumber() {
    int value = 0;
    while (!AtEnd() && std::isdigit(static_cast<unsigned char>(Peek()))) {
      value = std::min(value * 10 + (p_[pos_++] - '0'), kMaxRegexRepeat + 1);
    }
    return value;
  }

  Status ParseQuantifier(Node& atom) {
    if (AtEnd()) return Ok();
    int min = 0, max = 0;
    char c = Peek();
    if (c == '*') {
      min = 0, max = -1;
    } else if (c == '+') {
      min = 1, max = -1;
    } else if (c == '?') {
      min = 0, max = 1;
    } else if (c == '{' && CountAt(pos_ + 1)) {
      ++pos_;
      min = max = ReadNumber();
      if (Peek() == ',') {
        ++pos_;
        max = (Peek() == '}') ? -1 : ReadNumber();
      }
      if (min > kMaxRegexRepeat || max > kMaxRegexRepeat) {
        return Fail("repetition count above {}", kMaxRegexRepeat);
      }
      if (max != -1 && max < min) return Fail("repetition {{{},{}}} out of order", min, max);
    } else {
      return Ok();
    }
    ++pos_;
    if (!AtEnd() && Peek() == '?') ++pos_;  // lazy: the same set of whole-string matches
    if (atom.kind == Node::kBegin || atom.kind == Node::kEnd)
      return Fail("cannot repeat an anchor");
    if (!AtEnd() &&
        (Peek() == '*' || Peek() == '+' || Peek() == '?' || (Peek() == '{' && CountAt(pos_ + 1)))) {
      return Fail("a quantifier cannot follow a quantifier");
    }
    Node rep;
    rep.kind = Node::kRepeat;
    rep.min = min;
    rep.max = max;
    rep.kids.push_back(std::move(atom));
    atom = std::move(rep);
    return Ok();
  }

  // After a backslash, outside or inside a class.
  Result<ByteSet> ParseEscape() {
    if (AtEnd()) return Fail("trailing backslash");
    char c = p_[pos_++];
    switch (c) {
      case 'd':
        return Digits();
      case 'D':
        return ~Digits();
      case 'w':
        return Word();
      case 'W':
        return ~Word();
      case 's':
        return Space();
      case 'S':
        return ~Space();
      case 't':
        return ByteSet().set('\t');
      case 'n':
        return ByteSet().set('\n');
      case 'r':
        return ByteSet().set('\r');
      case 'f':
        return ByteSet().set('\f');
      case 'v':
        return ByteSet().set('\v');
      case 'x': {
        if (pos_ + 2 > p_.size() || !std::isxdigit(static_cast<unsigned char>(p_[pos_])) ||
            !std::isxdigit(static_cast<unsigned char>(p_[pos_ + 1]))) {
          return Fail("\\x needs two hex digits");
        }
        unsigned value = std::stoul(std::string(p_.substr(pos_, 2)), nullptr, 16);
        pos_ += 2;
        return ByteSet().set(value);
      }
      default:
        break;
    }
    if (std::isalnum(static_cast<unsigned char>(c))) {
      --pos_;
      return Fail(
          "unsupported escape '\\{}' (backreferences, \\b and other letter escapes "
          "mean different things in ECMAScript and RE2)",
          c);
    }
    return ByteSet().set(static_cast<unsigned char>(c));  // escaped punctuation: literal
  }

  // After '['.
  Result<ByteSet> ParseClass() {
    bool negate = !AtEnd() && Peek() == '^';
    if (negate) ++pos_;
    if (!AtEnd() && Peek() == ']') return Fail("empty or ambiguous class '[]'");
    ByteSet set;
    while (!AtEnd() && Peek() != ']') {
      if (Peek() == '[' && pos_ + 1 < p_.size() && p_[pos_ + 1] == ':') {
        return Fail("POSIX classes ([[:alpha:]]) are not supported");
      }
      VERIFIED_ASSIGN_OR_RETURN(auto lo, ClassAtom());
      bool range = pos_ + 1 < p_.size() && Peek() == '-' && p_[pos_ + 1] != ']';
      if (!range) {
        set |= lo.set;
        continue;
      }
      ++pos_;
      VERIFIED_ASSIGN_OR_RETURN(auto hi, ClassAtom());
      if (!lo.single || !hi.single) return Fail("a class range needs single characters");
      if (hi.byte < lo.byte) return Fail("class range out of order");
      set |= Range(lo.byte, hi.byte);
    }
    if (AtEnd()) return Fail("missing ']'");
    ++pos_;
    return negate ? ~set : set;
  }

  struct ClassItem {
    ByteSet set;
    bool single = false;
    unsigned char byte = 0;
  };

  Result<ClassItem> ClassAtom() {
    ClassItem item;
    char c = p_[pos_++];
    if (c == '\\') {
      VERIFIED_ASSIGN_OR_RETURN(item.set, ParseEscape());
    } else {
      item.set.set(static_cast<unsigned char>(c));
    }
    item.single = item.set.count() == 1;
    if (item.single) {
      for (unsigned b = 0; b < 256; ++b) {
        if (item.set.test(b)) item.byte = static_cast<unsigned char>(b);
      }
    }
    return item;
  }

  // --- Thompson construction ---

  Status Push(LinearRegex::Inst inst) {
    if (out_.program_.size() >= kMaxRegexProgram) {
      return MakeError(ErrorKind::kInvalidArgument,
                       "regex '{}' expands to more than {} instructions", p_, kMaxRegexProgram);
    }
    out_.program_.push_back(inst);
    return Ok();
  }
  int Here() const { return static_cast<int>(out_.program_.size()); }

  Status Emit(const Node& n) {
    using Inst = LinearRegex::Inst;
    switch (n.kind) {
      case Node::kSet:
        out_.sets_.push_back(n.set);
        return Push({Inst::kByteSet, static_cast<int>(out_.sets_.size() - 1), 0});
      case Node::kBegin:
        return Push({Inst::kBegin, 0, 0});
      case Node::kEnd:
        return Push({Inst::kEnd, 0, 0});
      case Node::kCat:
        for (const Node& k : n.kids) VERIFIED_RETURN_IF_ERROR(Emit(k));
        return Ok();
      case Node::kAlt:
        return EmitAlt(n.kids, 0);
      case Node::kRepeat:
        return EmitRepeat(n.kids[0], n.min, n.max);
    }
    return Ok();
  }

  // kids[i] | kids[i+1] | ...: split, first branch, jump to the end, the rest.
  Status EmitAlt(const std::vector<Node>& kids, size_t i) {
    if (i + 1 == kids.size()) return Emit(kids[i]);
    int split = Here();
    VERIFIED_RETURN_IF_ERROR(Push({LinearRegex::Inst::kSplit, split + 1, 0}));
    VERIFIED_RETURN_IF_ERROR(Emit(kids[i]));
    int jump = Here();
    VERIFIED_RETURN_IF_ERROR(Push({LinearRegex::Inst::kJump, 0, 0}));
    out_.program_[split].y = Here();
    VERIFIED_RETURN_IF_ERROR(EmitAlt(kids, i + 1));
    out_.program_[jump].x = Here();
    return Ok();
  }

  // e{min,max}: min copies, then either a loop (unbounded) or max-min optional copies.
  Status EmitRepeat(const Node& e, int min, int max) {
    using Inst = LinearRegex::Inst;
    for (int i = 0; i < min; ++i) VERIFIED_RETURN_IF_ERROR(Emit(e));
    if (max == -1) {
      int split = Here();
      VERIFIED_RETURN_IF_ERROR(Push({Inst::kSplit, split + 1, 0}));
      VERIFIED_RETURN_IF_ERROR(Emit(e));
      VERIFIED_RETURN_IF_ERROR(Push({Inst::kJump, split, 0}));
      out_.program_[split].y = Here();
      return Ok();
    }
    std::vector<int> splits;
    for (int i = min; i < max; ++i) {
      splits.push_back(Here());
      VERIFIED_RETURN_IF_ERROR(Push({Inst::kSplit, Here() + 1, 0}));
      VERIFIED_RETURN_IF_ERROR(Emit(e));
    }
    for (int s : splits) out_.program_[s].y = Here();
    return Ok();
  }

  std::string_view p_;
  size_t pos_ = 0;
  LinearRegex& out_;
};

Result<LinearRegex> LinearRegex::Compile(std::string_view pattern) {
  if (pattern.empty()) return MakeError(ErrorKind::kInvalidArgument, "empty regex");
  if (pattern.size() > kMaxRegexLength) {
    return MakeError(ErrorKind::kInvalidArgument, "regex longer than {} bytes", kMaxRegexLength);
  }
  LinearRegex re;
  RegexCompiler compiler(pattern, re);
  VERIFIED_RETURN_IF_ERROR(compiler.Run());
  return re;
}

namespace {

// The threads alive at one text position: a sparse set of program counters, so adding is
// O(1) and each instruction runs at most once per position (which is what makes the match
// linear, and what stops empty loops such as (a*)* from spinning).
class ThreadList {
 public:
  explicit ThreadList(size_t n) : dense_(n), sparse_(n) {}
  bool Contains(int pc) const {
    size_t i = sparse_[pc];
    return i < size_ && dense_[i] == pc;
  }
  void Add(int pc) {
    sparse_[pc] = size_;
    dense_[size_++] = pc;
  }
  void Clear() { size_ = 0; }
  size_t size() const { return size_; }
  int operator[](size_t i) const { return dense_[i]; }

 private:
  std::vector<int> dense_;
  std::vector<size_t> sparse_;
  size_t size_ = 0;
};

}  // namespace

bool LinearRegex::FullMatch(std::string_view text) const {
  const size_t n = program_.size();
  ThreadList current(n), next(n);
  std::vector<int> stack;
  // Follows jumps, splits and anchors from `start` at text position `pos`, adding the
  // instructions that consume a byte (or match) to `list`. Iterative: a program can be
  // kMaxRegexProgram instructions long.
  auto add = [&](ThreadList& list, int start, size_t pos) {
    stack.push_back(start);
    while (!stack.empty()) {
      int pc = stack.back();
      stack.pop_back();
      if (list.Contains(pc)) continue;
      list.Add(pc);
      const Inst& inst = program_[pc];
      switch (inst.op) {
        case Inst::kJump:
          stack.push_back(inst.x);
          break;
        case Inst::kSplit:
          stack.push_back(inst.y), stack.push_back(inst.x);
          break;
        case Inst::kBegin:
          if (pos == 0) stack.push_back(pc + 1);
          break;
        case Inst::kEnd:
          if (pos == text.size()) stack.push_back(pc + 1);
          break;
        default:
          break;
      }
    }
  };
  add(current, 0, 0);
  for (size_t pos = 0; pos < text.size() && current.size() > 0; ++pos) {
    unsigned char byte = static_cast<unsigned char>(text[pos]);
    next.Clear();
    for (size_t i = 0; i < current.size(); ++i) {
      const Inst& inst = program_[current[i]];
      if (inst.op == Inst::kByteSet && sets_[inst.x].test(byte)) add(next, current[i] + 1, pos + 1);
    }
    std::swap(current, next);
  }
  for (size_t i = 0; i < current.size(); ++i) {
    if (program_[current[i]].op == Inst::kMatch) return true;
  }
  return false;
}

}  // namespace verified
