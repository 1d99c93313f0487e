#include "layout/paragraph.h"

#include <algorithm>
#include <cmath>

#include "common/error.h"
#include "common/utf8.h"
#include "layout/line_breaker.h"
#include "layout/word_breaks.h"
#include "layout/text_prep.h"

#include <Poco/ConsoleChannel.h>
#include <Poco/Logger.h>

namespace zhiping::layout {

namespace {

constexpr double kEps = 0.01;
constexpr double kMaxStretch = 0.5;  // the widest a justified gap may grow, in em (of the Han pitch)

struct Atom {
  char32_t cp;
  const fonts::FontFace* face;
  double adv;        // advance, pt
  double gap;        // space before this atom (Han–Latin ¼ em), pt
  bool wide, punct, closing, latin, space;
};

const fonts::FontFace* ResolveAnyRole(const fonts::FontSet& fonts, fonts::Role role, char32_t cp) {
  if (const fonts::FontFace* f = fonts.Resolve(role, cp)) return f;
  // The role's own chain lacks it: any configured face is better than a box, and the choice is deterministic.
  for (int r = 0; r < fonts::kRoleCount; ++r)
    if (const fonts::FontFace* f = fonts.Resolve(static_cast<fonts::Role>(r), cp)) return f;
  return nullptr;
}

bool IsHanAtom(const Atom& a) { return a.wide && !a.punct && a.cp != 0x3000; }

// The first face that has every character of atoms [b, e): the role's chain in order, then every other face.
const fonts::FontFace* FaceForAll(const std::vector<Atom>& atoms, size_t b, size_t e, fonts::Role role,
                                  const fonts::FontSet& fonts) {
  auto has_all = [&](const fonts::FontFace* f) {
    for (size_t i = b; i < e; ++i)
      if (!f->Has(atoms[i].cp)) return false;
    return true;
  };
  for (const fonts::FontFace* f : fonts.chain(role))
    if (has_all(f)) return f;
  for (const fonts::FontFace* f : fonts.faces())
    if (has_all(f)) return f;
  return nullptr;
}

// One fallback face per name. A text that is nothing but Han characters, at most 2 × kNameLength of them (a name in a
// table or form cell, a 签发人), is one word: when the role's first face lacks any of it, it is drawn wholly in the
// first face — of the role's chain, then of all faces — that has all of it, so 「欧阳㐨䶮」 is not drawn in one face per
// character. In running text a name has no marked edges, so only the characters the role's first face lacks move,
// each cluster of adjacent ones into one face (「欧阳」 stays in the body face, 「㐨䶮」 goes together). A word or cluster
// no single face can draw keeps a face per character and is logged as a warning on the "zhiping.layout" logger.
constexpr size_t kNameLength = 4;

// The "zhiping.layout" logger. The programs configure no Poco logging, and a Poco logger without a channel drops
// what it is given: unless someone (a test, an embedding program) has set a channel, warnings go to stderr.
Poco::Logger& LayoutLog() {
  static Poco::Logger& log = []() -> Poco::Logger& {
    Poco::Logger& l = Poco::Logger::get("zhiping.layout");
    if (!l.getChannel()) l.setChannel(new Poco::ConsoleChannel);
    return l;
  }();
  return log;
}

void OneFacePerWord(std::vector<Atom>* atoms_ptr, fonts::Role role, const fonts::FontSet& fonts) {
  std::vector<Atom>& atoms = *atoms_ptr;
  const std::vector<const fonts::FontFace*>& chain = fonts.chain(role);
  const fonts::FontFace* first = chain.empty() ? nullptr : chain.front();
  const bool whole_is_word = [&] {
    size_t han = 0;
    for (const Atom& a : atoms) {
      if (!IsHanAtom(a)) return false;
      ++han;
    }
    return han <= 2 * kNameLength;
  }();
  auto unify = [&](size_t b, size_t e) {
    bool mixed = false;
    for (size_t i = b + 1; i < e; ++i) mixed |= atoms[i].face != atoms[b].face;
    if (!mixed) return;
    if (const fonts::FontFace* f = FaceForAll(atoms, b, e, role, fonts)) {
      for (size_t i = b; i < e; ++i) atoms[i].face = f;
      return;
    }
    std::u32string word;
    for (size_t i = b; i < e; ++i) word.push_back(atoms[i].cp);
    LayoutLog().warning("warning: no one font has every character of \"" + EncodeUtf8(word) +
                        "\": it is drawn in several faces");
  };
  size_t i = 0;
  while (i < atoms.size()) {
    if (!IsHanAtom(atoms[i])) {
      ++i;
      continue;
    }
    size_t e = i;
    bool needs_fallback = false;
    while (e < atoms.size() && IsHanAtom(atoms[e])) needs_fallback |= atoms[e++].face != first;
    if (needs_fallback) {
      if (whole_is_word) {
        unify(i, e);
      } else {
        for (size_t k = i; k < e;) {
          if (atoms[k].face == first) {
            ++k;
            continue;
          }
          size_t m = k;
          while (m < e && atoms[m].face != first) ++m;
          unify(k, m);
          k = m;
        }
      }
    }
    i = e;
  }
}

std::vector<Atom> Shape(const std::u32string& text, const TextStyle& style, const fonts::FontSet& fonts) {
  const double pitch = style.pitch_or_size();
  std::vector<Atom> atoms;
  atoms.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char32_t cp = text[i];
    if (cp == '\t') cp = ' ';
    const fonts::FontFace* face = cp == '\n' ? nullptr : ResolveAnyRole(fonts, style.role, cp);
    if (!face) {
      if (cp == ' ' || cp == 0x3000 || cp == '\n') {  // a font without a space glyph: still a space
        face = ResolveAnyRole(fonts, style.role, U'一');
      } else {
        Problem p = MakeProblem("", Message(Msg::kGlyphMissingShort, {DescribeCodePoint(cp)}));
        std::string text = p.rule;
        throw Error(ErrorKind::kInvalidInput, text, {std::move(p)});
      }
    }
    Atom a{cp, face, 0, 0, IsWide(cp), IsCjkPunctuation(cp), IsClosingOrPause(cp), false, cp == ' '};
    a.latin = !a.wide && !a.space;
    a.adv = a.wide ? pitch : face->Advance(cp) * style.size;
    if (cp == 0x3000) a.adv = pitch;
    atoms.push_back(a);
  }
  OneFacePerWord(&atoms, style.role, fonts);
  for (size_t i = 0; i + 1 < atoms.size(); ++i) {
    // Two adjacent marks take 1.5 em: the first one's blank right half goes.
    if (atoms[i].closing && atoms[i + 1].punct) atoms[i].adv = pitch / 2;
  }
  for (size_t i = 1; i < atoms.size(); ++i) {
    const Atom &p = atoms[i - 1], &c = atoms[i];
    bool han_latin = (p.wide && !p.punct && c.latin) || (p.latin && c.wide && !c.punct);
    atoms[i].gap = han_latin ? pitch / 4 : 0;
  }
  return atoms;
}

struct LineSpan {
  size_t begin, end;  // atoms [begin, end)
};

class Composer {
 public:
  Composer(const ParagraphSpec& spec, std::vector<Atom> atoms, std::vector<bool> can)
      : spec_(spec), atoms_(std::move(atoms)), can_(std::move(can)), pitch_(spec.style.pitch_or_size()) {}

  double Avail(size_t line_index, double width) const {
    return width - (line_index == 0 ? spec_.first_indent : spec_.hanging_indent);
  }

  // Width of atoms [b, e) set as one line, with the line-end mark at half width.
  double Natural(size_t b, size_t e) const {
    double w = 0;
    for (size_t i = b; i < e; ++i) w += atoms_[i].adv + (i > b ? atoms_[i].gap : 0);
    if (e > b && atoms_[e - 1].closing && atoms_[e - 1].adv > pitch_ / 2 + kEps) w -= pitch_ / 2;
    return w;
  }
  double Squeezable(size_t b, size_t e) const {  // internal punctuation may give up ¼ em each (先挤进)
    double s = 0;
    for (size_t i = b; i + 1 < e; ++i)
      if (atoms_[i].punct && atoms_[i].adv > pitch_ / 2 + kEps) s += pitch_ / 4;
    return s;
  }

  std::vector<LineSpan> Break(double width, size_t max_first_end = SIZE_MAX) const {
    std::vector<LineSpan> lines;
    const size_t n = atoms_.size();
    size_t pos = 0;
    while (pos < n) {
      const double avail = Avail(lines.size(), width);
      size_t b = pos + 1;
      while (b < n && Natural(pos, b + 1) <= avail + kEps) ++b;
      if (lines.empty() && max_first_end != SIZE_MAX) b = std::min(b, max_first_end);
      if (b >= n) {
        lines.push_back({pos, n});
        break;
      }
      size_t k = 0;
      // 0. Cells: the last break between words that fits (the line rules hold there too); for a word longer than
      // the line, its best inner place (高级 / 政工师). Found only for a text that needs breaking: most cells fit.
      if (spec_.words_whole && !words_ready_) FindWords();
      for (const std::vector<bool>* words : {&words_, &long_words_})
        for (size_t j = b; j > pos + 1 && !k && !words->empty(); --j)
          if ((*words)[j]) k = j;
      // 1. A legal break right here.
      if (!k && can_[b]) k = b;
      // 2. Squeeze in the next character(s) up to the next legal break, if punctuation can make room.
      if (!k) {
        size_t k2 = b + 1;
        while (k2 < n && !can_[k2] && k2 - b < 3) ++k2;
        if ((k2 == n || can_[k2]) && Natural(pos, k2) - Squeezable(pos, k2) <= avail + kEps &&
            !(lines.empty() && max_first_end != SIZE_MAX))
          k = k2;
      }
      // 3. Push out: the last legal break before.
      if (!k)
        for (size_t j = b; j > pos; --j)
          if (can_[j]) {
            k = j;
            break;
          }
      if (!k) k = b;  // no legal break at all (a very long Latin word): break where the line is full
      size_t end = k;  // a space where the line breaks belongs to neither line
      while (end > pos + 1 && atoms_[end - 1].space) --end;
      lines.push_back({pos, end});
      pos = k;
      while (pos < n && atoms_[pos].space) ++pos;  // spaces vanish at a line start
    }
    return lines;
  }

  bool IsOrphan(const LineSpan& s) const {
    int han = 0;
    for (size_t i = s.begin; i < s.end; ++i) {
      if (atoms_[i].punct || atoms_[i].space) continue;
      if (!atoms_[i].wide) return false;
      ++han;
    }
    return han == 1;
  }

  std::vector<LineSpan> BreakAvoidingOrphan(double width) const {
    std::vector<LineSpan> lines = Break(width);
    if (!spec_.avoid_orphan || lines.size() < 2 || !IsOrphan(lines.back())) return lines;
    // Pull one character down from the line above: re-break from that line with its end moved one break earlier.
    const LineSpan prev = lines[lines.size() - 2];
    for (size_t j = prev.end - 1; j > prev.begin + 1; --j) {
      if (!can_[j]) continue;
      std::vector<LineSpan> fixed(lines.begin(), lines.end() - 2);
      fixed.push_back({prev.begin, j});
      size_t pos = j;
      // The rest now holds two or more characters and fits on the last line (it was one line + one char).
      if (Natural(pos, atoms_.size()) <= Avail(fixed.size(), width) + kEps) {
        fixed.push_back({pos, atoms_.size()});
        return fixed;
      }
      break;
    }
    return lines;
  }

  ComposedLine Place(const LineSpan& s, size_t line_index, bool last, double width) const {
    ComposedLine line;
    const double avail = Avail(line_index, width);
    const double natural = Natural(s.begin, s.end);
    double extra = avail - natural;
    Align align = spec_.align;
    if (align == Align::kJustify && last) align = Align::kLeft;
    // Distribute: positive extra over the gaps between characters (not inside a Latin word), justified lines only;
    // negative extra (a line the breaker squeezed one more character into) out of the internal punctuation, on
    // every line whatever its alignment, so no glyph passes the line's end (a cell's rule).
    std::vector<double> share(s.end - s.begin, 0.0);
    if (extra < -kEps) {
      double sq = Squeezable(s.begin, s.end);
      if (sq > kEps)
        for (size_t i = s.begin; i + 1 < s.end; ++i)
          if (atoms_[i].punct && atoms_[i].adv > pitch_ / 2 + kEps)
            share[i + 1 - s.begin] = std::max(extra, -sq) * (pitch_ / 4) / sq;
      extra = 0;
    } else if (align == Align::kJustify && extra > kEps) {
      // Where the stretch goes (after JLREQ 3.8): first into the gaps that are word boundaries already — between
      // Han and Latin, beside a space — until each is ½ em; the rest evenly into the other gaps between characters
      // (never inside a Latin word). Text extraction then still reads 「联系电话」 as one word. The stretch limit: no
      // gap grows past ½ em; a line that would need more (a long unbreakable word ends it early) is set flush left
      // at natural spacing.
      // A gap's room is what takes it to ½ em in all, its own spacing included (a Han–Latin gap is ¼ em already).
      const double cap = kMaxStretch * pitch_;
      auto room = [&](size_t i) { return std::max(0.0, cap - atoms_[i].gap); };
      std::vector<size_t> open, other;
      double open_room = 0;
      for (size_t i = s.begin + 1; i < s.end; ++i) {
        const Atom &p = atoms_[i - 1], &c = atoms_[i];
        if (p.latin && c.latin) continue;
        if (p.latin != c.latin || p.space || c.space) {
          open.push_back(i);
          open_room += room(i);
        } else {
          other.push_back(i);
        }
      }
      const double first = std::min(extra, open_room);
      const double rest = extra - first;
      if (rest <= kEps || (!other.empty() && rest / other.size() <= cap + kEps)) {
        // The open gaps fill in proportion to their room, so each reaches ½ em together.
        if (open_room > kEps)
          for (size_t g : open) share[g - s.begin] = first * room(g) / open_room;
        if (rest > kEps)
          for (size_t g : other) share[g - s.begin] = rest / other.size();
        extra = 0;
      }
    }
    double x = line_index == 0 ? spec_.first_indent : spec_.hanging_indent;
    if (align == Align::kCenter) x += std::max(0.0, extra) / 2;
    if (align == Align::kRight) x += std::max(0.0, extra);
    for (size_t i = s.begin; i < s.end; ++i) {
      if (i > s.begin) x += atoms_[i].gap + share[i - s.begin];
      if (!atoms_[i].space) line.glyphs.push_back({atoms_[i].cp, atoms_[i].face, x});
      x += atoms_[i].adv;
    }
    line.width = natural;
    return line;
  }

  const std::vector<Atom>& atoms() const { return atoms_; }

 private:
  const ParagraphSpec& spec_;
  std::vector<Atom> atoms_;
  std::vector<bool> can_;
  void FindWords() const {
    words_ready_ = true;
    if (atoms_.size() != spec_.text.size()) return;  // not one atom per character: no word breaks
    WordBreakSets sets = WordBreakSetsOf(spec_.text);
    words_ = std::move(sets.words);
    long_words_ = std::move(sets.long_words);
    for (size_t i = 0; i < words_.size(); ++i) {
      words_[i] = words_[i] && can_[i];
      long_words_[i] = long_words_[i] && can_[i];
    }
  }
  // words_whole, once a line must break: can_ and a word boundary; also at the marks of long domain words.
  mutable bool words_ready_ = false;
  mutable std::vector<bool> words_, long_words_;
  double pitch_;
};

}  // namespace

namespace {

void ComposeOne(const ParagraphSpec& spec, const fonts::FontSet& fonts, std::vector<ComposedLine>* out) {
  Composer c(spec, Shape(spec.text, spec.style, fonts), BreakOpportunities(spec.text));
  double width = spec.width;
  std::vector<LineSpan> spans = c.BreakAvoidingOrphan(width);
  if (spec.balance && spans.size() > 1) {
    // Narrowest width (in whole characters) that still gives the same number of lines: balanced title lines.
    const double pitch = spec.style.pitch_or_size();
    double lo = spec.width / 2, hi = spec.width;
    for (int iter = 0; iter < 12; ++iter) {
      double mid = (lo + hi) / 2;
      if (c.Break(mid).size() <= spans.size()) hi = mid; else lo = mid;
    }
    width = std::ceil(hi / pitch - 1e-6) * pitch;
    spans = c.BreakAvoidingOrphan(std::min(width, spec.width));
  }
  for (size_t i = 0; i < spans.size(); ++i) out->push_back(c.Place(spans[i], i, i + 1 == spans.size(), spec.width));
}

}  // namespace

std::vector<ComposedLine> ComposeParagraph(const ParagraphSpec& spec, const fonts::FontSet& fonts) {
  std::vector<ComposedLine> out;
  if (spec.text.empty()) return out;
  const std::u32string text = PrepareText(spec.text);
  if (text.find(U'\n') == std::u32string::npos) {
    if (text == spec.text) {
      ComposeOne(spec, fonts, &out);
    } else {
      ParagraphSpec prepared = spec;
      prepared.text = text;
      ComposeOne(prepared, fonts, &out);
    }
    return out;
  }
  // A line break in the data starts a new paragraph: its first line takes the first-line indent again (in a cell,
  // where there is none, it is simply a new line). Empty paragraphs ("\n\n") add nothing.
  ParagraphSpec part = spec;
  size_t from = 0;
  while (from <= text.size()) {
    size_t nl = text.find(U'\n', from);
    if (nl == std::u32string::npos) nl = text.size();
    part.text = text.substr(from, nl - from);
    while (!part.text.empty() && part.text.back() == ' ') part.text.pop_back();
    if (!part.text.empty()) ComposeOne(part, fonts, &out);
    from = nl + 1;
  }
  return out;
}

double MeasureText(const std::u32string& text, const TextStyle& style, const fonts::FontSet& fonts) {
  std::vector<Atom> atoms = Shape(PrepareText(text), style, fonts);
  double w = 0, widest = 0;
  for (size_t i = 0; i < atoms.size(); ++i) {
    if (atoms[i].cp == '\n') {  // several lines: the widest
      widest = std::max(widest, w);
      w = 0;
      continue;
    }
    w += atoms[i].adv + (i && atoms[i - 1].cp != '\n' ? atoms[i].gap : 0);
  }
  return std::max(widest, w);
}

}  // namespace zhiping::layout
