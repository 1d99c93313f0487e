#include "model/lazy_body.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "common/problem.h"
#include "model/field_labels.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>

#include "common/error.h"
#include "common/json.h"
#include "common/json_sax.h"
#include "common/json_scan.h"

namespace zhiping::model {

namespace {

// A syntax error the scanner found at a byte offset of the body; LazyBody::Scan turns it into the Error with a
// line and column (which needs the text before it, read again from the source).
struct SyntaxError {
  uint64_t offset;
  Message why;
};

[[noreturn]] void Malformed(uint64_t offset, Message why) { throw SyntaxError{offset, std::move(why)}; }

const unsigned char kBom[3] = {0xEF, 0xBB, 0xBF};  // a UTF-8 byte-order mark at the start is skipped

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

constexpr size_t kChunk = 1 << 20;  // bytes read at once while scanning a file

}  // namespace

// --- where the text is ---

struct LazyBody::Source {
  virtual ~Source() = default;
  virtual uint64_t size() const = 0;
  // The whole text when it is in memory (scanned and sliced without copies), else nullptr.
  virtual const char* data() const { return nullptr; }
  // Replaces *out with bytes [offset, offset + n).
  virtual void Read(uint64_t offset, size_t n, std::string* out) const = 0;
};

namespace {

class TextSource : public LazyBody::Source {
 public:
  explicit TextSource(std::string text) : owned_(std::move(text)), text_(&owned_) {}
  explicit TextSource(const std::string* text) : text_(text) {}
  uint64_t size() const override { return text_->size(); }
  const char* data() const override { return text_->data(); }
  void Read(uint64_t offset, size_t n, std::string* out) const override { out->assign(*text_, offset, n); }

 private:
  std::string owned_;
  const std::string* text_;
};

class FileSource : public LazyBody::Source {
 public:
  explicit FileSource(const std::string& path) : path_(path) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st {};
    if (fd_ < 0 || ::fstat(fd_, &st) != 0) {
      int err = errno;
      if (fd_ >= 0) ::close(fd_);
      throw Error(ErrorKind::kNotFound, "cannot read " + path + ": " + std::strerror(err));
    }
    if (S_ISDIR(st.st_mode)) {
      ::close(fd_);
      throw Error(ErrorKind::kNotFound, "cannot read " + path + ": " + std::strerror(EISDIR));
    }
    size_ = static_cast<uint64_t>(st.st_size);
#ifdef POSIX_FADV_SEQUENTIAL
    ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
  }
  ~FileSource() override { ::close(fd_); }
  uint64_t size() const override { return size_; }
  void Read(uint64_t offset, size_t n, std::string* out) const override {
    out->resize(n);
    size_t done = 0;
    while (done < n) {
      ssize_t got = ::pread(fd_, &(*out)[done], n - done, static_cast<off_t>(offset + done));
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) {
        throw Error(ErrorKind::kUnavailable,
                    "cannot read " + path_ + ": " + (got < 0 ? std::strerror(errno) : "the file became shorter"));
      }
      done += static_cast<size_t>(got);
    }
  }

 private:
  std::string path_;
  int fd_ = -1;
  uint64_t size_ = 0;
};

// Walks the text once, byte by byte (strings skipped in a tight loop), tracking brackets. At depth 1 it reads the
// members' keys; a member whose key is wanted and whose value is an array is "located": the byte range of each of
// its elements is recorded (an element ends at the comma or bracket that closes it, trailing blanks trimmed).
// Everything else is left to Poco's parser (the envelope and each element are parsed by it), so the scanner only
// checks what Poco will not see: brackets that match, the commas between elements, nothing after the body.
// The first '"' or '\\' in p[i, n), or n: sixteen bytes at a compare where SSE2 is there (every x86-64), since a
// body's bytes are mostly inside strings and this loop is the scan's time.
size_t NextQuoteOrBackslash(const char* p, size_t i, size_t n) {
#ifdef __SSE2__
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
  for (; i + 16 <= n; i += 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    const int hits = _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(bytes, quote), _mm_cmpeq_epi8(bytes, backslash)));
    if (hits != 0) return i + static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(hits)));
  }
#endif
  while (i < n && p[i] != '"' && p[i] != '\\') ++i;
  return i;
}

class Scanner {
 public:
  Scanner(const std::vector<std::string>& wanted, std::vector<LazyBody::List>* lists) : wanted_(wanted), lists_(lists) {}

  // Returns false when the first non-blank character is not '{' (the caller then parses the text whole).
  bool Feed(const char* p, size_t n, uint64_t base) {
    for (size_t i = 0; i < n; ++i) {
      const char c = p[i];
      if (in_string_) {
        if (escape_) {
          escape_ = false;
          if (capturing_) key_ += c;
          continue;
        }
        if (!capturing_) {
          // Fast path: most bytes of a body are inside strings.
          i = NextQuoteOrBackslash(p, i, n);
          if (i == n) break;
        }
        const char s = p[i];
        if (s == '\\') {
          escape_ = true;
          if (capturing_) key_escaped_ = true;
        } else if (s == '"') {
          in_string_ = false;
          if (located_) last_end_ = base + i + 1;
          if (capturing_) capturing_ = false;
        } else if (capturing_) {
          key_ += s;
        }
        continue;
      }
      if (IsSpace(c)) continue;
      const uint64_t at = base + i;
      if (at < 3 && stack_.empty() && !finished_ && static_cast<unsigned char>(c) == kBom[at]) continue;  // a BOM
      if (finished_) Malformed(at, Msg::kJsonTrailingText);
      if (stack_.empty()) {
        if (c != '{') return false;
        stack_.push_back('{');
        expect_key_ = true;
        continue;
      }
      const size_t depth = stack_.size();
      if (located_ && !(depth == 2 && (c == ',' || c == ']'))) {
        if (elem_begin_ == kNone) {
          elem_begin_ = at;
          elem_first_ = c;
        }
        last_end_ = at + 1;
      }
      if (depth == 1 && expect_value_ && c != ':') {
        expect_value_ = false;
        ValueStarts(c, at);
      }
      switch (c) {
        case '"':
          in_string_ = true;
          if (depth == 1 && expect_key_) {
            expect_key_ = false;
            capturing_ = true;
            key_.clear();
            key_escaped_ = false;
          }
          break;
        case '{':
        case '[':
          stack_.push_back(c);
          break;
        case '}':
        case ']': {
          if (stack_.back() != (c == '}' ? '{' : '[')) {
            Malformed(at, Message(Msg::kJsonCloseMismatch,
                                  {std::string("'") + c + "'", std::string("'") + stack_.back() + "'"}));
          }
          stack_.pop_back();
          if (located_ && stack_.size() == 1) {
            if (elem_begin_ != kNone) EndElement();
            else if (after_comma_) Malformed(at, Msg::kJsonCommaBeforeBracket);
            located_ = false;
            spans_.back().second = at + 1;
          }
          if (stack_.empty()) finished_ = true;
          break;
        }
        case ',':
          if (depth == 1) expect_key_ = true;
          if (located_ && depth == 2) {
            if (elem_begin_ == kNone) Malformed(at, Msg::kJsonValueBeforeComma);
            EndElement();
            after_comma_ = true;
          }
          break;
        case ':':
          if (depth == 1) expect_value_ = true;
          break;
        default:
          break;
      }
    }
    return true;
  }

  void Finish(uint64_t size) {
    if (!started()) Malformed(size, Msg::kJsonEmpty);
    if (in_string_) Malformed(size, Msg::kJsonUnclosedAtEnd);
    if (!finished_) Malformed(size, Msg::kJsonTruncated);
  }

  bool started() const { return finished_ || !stack_.empty(); }
  // Byte ranges of the located arrays ([ … ]), replaced by [] in the envelope.
  const std::vector<std::pair<uint64_t, uint64_t>>& spans() const { return spans_; }

 private:
  static constexpr uint64_t kNone = ~uint64_t{0};

  // The value of the member whose key was just read starts with `c` at `at`.
  void ValueStarts(char c, uint64_t at) {
    if (key_escaped_) return;  // a key written with escapes is left to the envelope's parser
    auto wanted = std::find(wanted_.begin(), wanted_.end(), key_);
    if (wanted == wanted_.end()) return;
    // A repeated key: like Poco's parser, the last value wins.
    lists_->erase(std::remove_if(lists_->begin(), lists_->end(), [&](const auto& l) { return l.name == key_; }),
                  lists_->end());
    if (c != '[') return;
    lists_->push_back(LazyBody::List{key_, {}});
    located_ = true;
    elem_begin_ = kNone;
    after_comma_ = false;
    spans_.push_back({at, at});
  }

  void EndElement() {
    uint64_t size = last_end_ - elem_begin_;
    if (size > UINT32_MAX) Malformed(elem_begin_, Msg::kJsonElementTooLarge);
    LazyBody::List& list = lists_->back();
    if (list.elements.size() < LazyBody::kMaxLocatedElements) {
      list.elements.push_back({elem_begin_, static_cast<uint32_t>(size), elem_first_});
    }
    ++list.count;
    elem_begin_ = kNone;
  }

  const std::vector<std::string>& wanted_;
  std::vector<LazyBody::List>* lists_;
  std::vector<char> stack_;
  std::vector<std::pair<uint64_t, uint64_t>> spans_;
  bool in_string_ = false, escape_ = false, finished_ = false;
  bool expect_key_ = false, expect_value_ = false, capturing_ = false, key_escaped_ = false;
  std::string key_;
  bool located_ = false, after_comma_ = false;
  uint64_t elem_begin_ = kNone, last_end_ = 0;
  char elem_first_ = 0;
};

}  // namespace

// --- LazyBody ---

LazyBody::LazyBody() = default;
LazyBody::LazyBody(LazyBody&&) noexcept = default;
LazyBody& LazyBody::operator=(LazyBody&&) noexcept = default;
LazyBody::~LazyBody() = default;

LazyBody LazyBody::FromText(std::string text, const std::vector<std::string>& lists) {
  LazyBody body;
  body.source_ = std::make_unique<TextSource>(std::move(text));
  body.Scan(lists);
  return body;
}

LazyBody LazyBody::FromView(const std::string& text, const std::vector<std::string>& lists) {
  LazyBody body;
  body.source_ = std::make_unique<TextSource>(&text);
  body.Scan(lists);
  return body;
}

LazyBody LazyBody::FromFile(const std::string& path, const std::vector<std::string>& lists) {
  LazyBody body;
  body.source_ = std::make_unique<FileSource>(path);
  body.Scan(lists);
  return body;
}

void LazyBody::Scan(const std::vector<std::string>& wanted) {
  try {
    ScanText(wanted);
  } catch (const SyntaxError& e) {
    MalformedAt(e.offset, e.why);
  }
}

void LazyBody::MalformedAt(uint64_t offset, const Message& why) const {
  if (offset == std::string_view::npos) ThrowMalformedJson(std::nullopt, why);
  LineCounter counter;
  if (const char* data = source_->data()) {
    counter.Feed(std::string_view(data, static_cast<size_t>(std::min<uint64_t>(offset, source_->size()))));
  } else {
    std::string chunk;
    for (uint64_t at = 0; at < offset && at < source_->size(); at += kChunk) {
      source_->Read(at, static_cast<size_t>(std::min<uint64_t>({kChunk, offset - at, source_->size() - at})), &chunk);
      counter.Feed(chunk);
    }
  }
  ThrowMalformedJson(counter.at(), why);
}

void LazyBody::ScanText(const std::vector<std::string>& wanted) {
  Scanner scanner(wanted, &lists_);
  const uint64_t size = source_->size();
  bool object = true;
  if (const char* data = source_->data()) {
    object = scanner.Feed(data, size, 0);
  } else {
    std::string chunk;
    for (uint64_t at = 0; at < size && object; at += kChunk) {
      source_->Read(at, static_cast<size_t>(std::min<uint64_t>(kChunk, size - at)), &chunk);
      object = scanner.Feed(chunk.data(), chunk.size(), at);
    }
  }
  std::string text;
  Poco::JSON::Parser parser;
  Message why;
  size_t error = 0;
  if (!object || !scanner.started()) {
    // Not an object (or nothing at all): parsed whole, as any body; validation says what is wrong with it.
    lists_.clear();
    source_->Read(0, static_cast<size_t>(size), &text);
    if (!TryParseJson(parser, text, &envelope_, &why, &error)) MalformedAt(error, why);
    return;
  }
  scanner.Finish(size);
  std::string piece;
  uint64_t from = 0;
  for (const auto& [begin, end] : scanner.spans()) {
    source_->Read(from, static_cast<size_t>(begin - from), &piece);
    text += piece;
    text += "[]";
    from = end;
  }
  source_->Read(from, static_cast<size_t>(size - from), &piece);
  text += piece;
  if (TryParseJson(parser, text, &envelope_, &why, &error)) return;
  if (error == std::string_view::npos) MalformedAt(error, why);
  // An offset in the envelope, mapped back to the body: each located list stands there as "[]".
  uint64_t original = error;
  for (const auto& [begin, end] : scanner.spans()) {
    if (original < begin) break;
    original = original < begin + 2 ? begin : original + (end - begin) - 2;
  }
  MalformedAt(original, why);
}

const LazyBody::List* LazyBody::Find(const std::string& name) const {
  for (const List& list : lists_) {
    if (list.name == name) return &list;
  }
  return nullptr;
}

// --- Reader ---

LazyBody::Reader::Reader(const LazyBody& body) : body_(&body) {}

std::string_view LazyBody::Reader::Text(const Element& e) {
  const Source& source = *body_->source_;
  if (const char* data = source.data()) return std::string_view(data + e.begin, e.size);
  ++clock_;
  for (Window& w : windows_) {
    if (e.begin >= w.begin && e.begin + e.size <= w.begin + w.bytes.size()) {
      w.used = clock_;
      return std::string_view(w.bytes).substr(static_cast<size_t>(e.begin - w.begin), e.size);
    }
  }
  // Reading forward in a window (this element starts where it ends, give or take a separator): read ahead there.
  // Otherwise the element alone, into the window used least recently.
  Window* into = nullptr;
  for (Window& w : windows_) {
    const uint64_t end = w.begin + w.bytes.size();
    if (!w.bytes.empty() && e.begin >= end && e.begin - end < 64) into = &w;
  }
  const bool forward = into != nullptr;
  if (!into) {
    into = &windows_[0];
    for (Window& w : windows_) {
      if (w.used < into->used) into = &w;
    }
  }
  const size_t n = forward ? static_cast<size_t>(std::min<uint64_t>(std::max<uint64_t>(kReadAhead, e.size),
                                                                    source.size() - e.begin))
                           : e.size;
  source.Read(e.begin, n, &into->bytes);
  into->begin = e.begin;
  into->used = clock_;
  return std::string_view(into->bytes).substr(0, e.size);
}

const JsonValue& LazyBody::Reader::ParseValue(const List& list, size_t index) {
  if (!dom_.TryParse(Text(list.elements.at(index)))) dom_.Assign(Parse(list, index));  // Parse declines alike
  return dom_.root();
}

Poco::Dynamic::Var LazyBody::Reader::Parse(const List& list, size_t index) {
  const Element& e = list.elements.at(index);
  const std::string_view text = Text(e);
  Poco::Dynamic::Var value;
  if (TryParseJsonSax(text, &value)) return value;
  text_.assign(text);
  Message why;
  size_t error = 0;
  if (!TryParseJson(parser_, text_, &value, &why, &error)) {
    const std::string where = "/" + PointerToken(list.name) + "/" + std::to_string(index);
    body_->MalformedAt(error == std::string_view::npos ? error : e.begin + error,
                       Message(Msg::kJsonInElement, {NestedArg(why), MessageArg(where, PlaceOf(where))}));
  }
  return value;
}

bool LazyBody::Reader::PlainMember(const List& list, size_t index, const std::string& key, std::string* text) {
  const Element& e = list.elements.at(index);
  std::optional<std::string> found;
  bool tricky = e.first != '{';
  if (!tricky) {
    const std::string_view t = Text(e);
    // Depth-1 keys of the object, and the value after the wanted one; the last occurrence wins, as in Poco.
    int depth = 0;
    bool expect_key = false, expect_value = false, matched = false;
    for (size_t i = 0; i < t.size() && !tricky; ++i) {
      char c = t[i];
      if (c == '"') {
        size_t j = i + 1;
        bool escaped = false;
        while (j < t.size() && t[j] != '"') {
          if (t[j] == '\\') escaped = true, ++j;
          ++j;
        }
        if (depth == 1 && expect_key) {
          expect_key = false;
          if (escaped) tricky = true;  // a key with escapes: let Poco read it
          matched = t.compare(i + 1, j - i - 1, key) == 0;
        } else if (depth == 1 && expect_value) {
          expect_value = false;
          if (matched) {
            if (escaped) tricky = true;
            else found = std::string(t.substr(i + 1, j - i - 1));
          }
        }
        i = j;
        continue;
      }
      if (IsSpace(c)) continue;
      if (depth == 1 && expect_value) {
        expect_value = false;
        if (matched) {
          // A number, true/false, null, an object or a list: its cell text is the writer's business.
          tricky = true;
          break;
        }
      }
      if (c == '{' || c == '[') ++depth;
      else if (c == '}' || c == ']') --depth;
      else if (c == ':' && depth == 1) expect_value = true;
      else if (c == ',' && depth == 1) expect_key = true;
      if (c == '{' && depth == 1) expect_key = true;
    }
  }
  if (tricky) return false;
  *text = found.value_or("");
  return true;
}

}  // namespace zhiping::model
