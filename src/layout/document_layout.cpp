#include "layout/document_layout.h"

#include <algorithm>
#include <cmath>

#include "common/error.h"
#include "common/utf8.h"
#include "image/decode_memo.h"
#include "layout/word_breaks.h"
#include "layout/line_breaker.h"

namespace zhiping::layout {

namespace {

using fonts::Role;

// The pixels the PDF writer will embed, and their size for the aspect ratio. Validation has already decoded every
// photo of the body (and the memo usually still holds it); an image that does not decode is bad input all the same.
std::shared_ptr<const image::DecodedImage> DecodeImageOrThrow(const std::string& bytes) {
  std::string problem;
  std::shared_ptr<const image::DecodedImage> img = image::DecodeRemembered(bytes, &problem);
  if (!img) throw Error(ErrorKind::kInvalidInput, "the image " + problem);
  return img;
}

constexpr double kAscent = 0.88;  // baseline sits this far (in em) below the top of a glyph's em box

// 发文机关标志: never smaller than the title (2号, 22 pt); a longer name is narrowed down to this horizontal scale,
// and set in more lines beyond it.
constexpr double kMinMarkSize = 22;
constexpr double kMinMarkScale = 0.7;

std::u32string DigitsToU32(int n) {
  std::u32string s;
  for (char c : std::to_string(n)) s.push_back(static_cast<char32_t>(c));
  return s;
}

class PageBuilder {
 public:
  // `break_before_line`: start a new page before that grid line of text (counted from 0 over the document), to
  // keep the last lines of the body with the signature (§7.3.5.5); SIZE_MAX: none.
  PageBuilder(const DocumentSpec& spec, const fonts::FontSet& fonts, const PageGeometry& g,
              size_t break_before_line = SIZE_MAX)
      : spec_(spec), fonts_(fonts), g_(g), break_before_line_(break_before_line) {}

  // After Run(): the grid line to break before so that the signature, which went to a page of its own, takes the
  // body's last two lines with it; SIZE_MAX when the signature has body text on its page already.
  size_t KeepWithSignature() const { return keep_with_signature_; }

  LaidOutDocument Run() {
    NewPage();
    if (spec_.style == PageStyle::kLetter) LetterHead();
    for (const Block& b : spec_.blocks) Place(b);
    PageNumbers();
    doc_.title = spec_.title;
    return std::move(doc_);
  }

 private:
  // ---- cursor and pages ---------------------------------------------------------------------------------------
  // The cursor is the top of the next free space on the current page, in points. Grid text snaps to grid lines.
  void NewPage() {
    doc_.pages.emplace_back();
    lines_on_page_ = 0;
    y_ = TopOfBody();
  }
  double TopOfBody() const {
    if (spec_.style == PageStyle::kLetter && doc_.pages.size() == 1) return letter_body_top_;
    return g_.type_top();
  }
  double Bottom() const {
    if (spec_.style == PageStyle::kLetter) return std::max(g_.type_bottom(), Mm(20) + Mm(4));
    return g_.type_bottom();
  }
  Page& page() { return doc_.pages.back(); }
  double lp() const { return g_.line_pitch(); }
  double pitch() const { return g_.char_pitch(); }

  // Snap the cursor down to the next grid line of the page.
  void SnapToGrid() {
    const double origin = TopOfBody();  // 信函 page 1: the grid starts under the letterhead (§10.1)
    double k = std::ceil((origin - y_) / lp() - 1e-6);
    y_ = origin - k * lp();
  }
  // Room for `n` grid lines below the cursor? If not, start a new page.
  void EnsureLines(int n) {
    SnapToGrid();
    if (y_ - n * lp() < Bottom() - 0.5) NewPage();
  }

  // ---- drawing primitives ---------------------------------------------------------------------------------------
  void DrawLine(const ComposedLine& line, double left, double top, double size, Color color = kBlack,
                double bold = 0, double hscale = 1) {
    const double box = std::max(lp(), size);
    const double baseline = top - (box - size) / 2 - kAscent * size;
    TextRun* run = nullptr;
    for (const ComposedGlyph& cg : line.glyphs) {
      if (!run || run->face != cg.face) {
        page().runs.push_back(TextRun{cg.face, size, baseline, color, bold, {}, hscale});
        run = &page().runs.back();
      }
      run->glyphs.push_back({cg.cp, left + cg.x * hscale});
    }
  }

  // Grid text: every line takes one grid line; lines flow onto new pages.
  void GridParagraph(const ParagraphSpec& ps, double left, double bold = 0) {
    for (const ComposedLine& line : ComposeParagraph(ps, fonts_)) {
      if (grid_lines_ == break_before_line_ && y_ < TopOfBody() - 0.5) NewPage();
      EnsureLines(1);
      DrawLine(line, left, y_, ps.style.size, ps.style.color, bold);
      y_ -= lp();
      ++lines_on_page_;
      ++grid_lines_;
    }
  }

  ParagraphSpec Body(const std::u32string& text, Role role = Role::kFangSong, double indent_chars = 2) const {
    ParagraphSpec ps;
    ps.text = text;
    ps.style.role = role;
    ps.style.size = size::k3Hao;
    ps.style.pitch = pitch();
    ps.width = g_.type_width;
    ps.first_indent = indent_chars * pitch();
    return ps;
  }

  // ---- blocks ---------------------------------------------------------------------------------------------------
  void Place(const Block& b) {
    switch (b.kind) {
      case BlockKind::kRedHeader: RedHeader(b); break;
      case BlockKind::kTitle: Title(b.text); break;
      case BlockKind::kAddressee: {
        ParagraphSpec ps = Body(b.text, Role::kFangSong, 0);
        ps.avoid_orphan = false;
        GridParagraph(ps, g_.type_left());
        break;
      }
      case BlockKind::kParagraph: GridParagraph(Body(b.text), g_.type_left()); break;
      case BlockKind::kHeading: {
        Role role = b.heading_level == 1 ? Role::kHei : b.heading_level == 2 ? Role::kKai : Role::kFangSong;
        GridParagraph(Body(b.text, role), g_.type_left());
        break;
      }
      case BlockKind::kRightLine:
      case BlockKind::kCenterLine: {
        ParagraphSpec ps = Body(b.text, Role::kFangSong, 0);
        ps.align = b.kind == BlockKind::kRightLine ? Align::kRight : Align::kCenter;
        GridParagraph(ps, g_.type_left());
        break;
      }
      case BlockKind::kAttachmentNote: AttachmentNote(b); break;
      case BlockKind::kSignature:
        if (b.organs.size() > 1) JointSignature(b);
        else Signature(b);
        break;
      case BlockKind::kNote: GridParagraph(Body(U"（" + b.text + U"）"), g_.type_left()); break;
      case BlockKind::kTable: Table(b); break;
      case BlockKind::kPageBreak: NewPage(); break;
      case BlockKind::kAttachmentPage: AttachmentPage(b); break;
      case BlockKind::kEndMatter: EndMatter(b); break;
      case BlockKind::kSpacer:
        SnapToGrid();
        y_ -= b.spacer_lines * lp();
        if (y_ < Bottom()) NewPage();
        break;
      case BlockKind::kImage: Image(b); break;
      case BlockKind::kForm: Form(b); break;
    }
  }

  void RedHeader(const Block& b) {
    // 发文机关标志: its top 35 mm below the top of the type area; as large as fits (≤ 1.5 cm glyph height).
    y_ = b.organs.empty() ? OrganMark(b.organ, g_.type_top() - Mm(35), Mm(15) / kAscent)
                          : JointOrganMark(b.organs, b.suffix, g_.type_top() - Mm(35));
    // 发文字号 two blank lines below; for an upward document (签发人 given) it goes 1 字 from the left on the
    // 签发人 line, and 签发人 sits 1 字 from the right.
    SnapToGrid();
    y_ -= 2 * lp();
    if (!b.signer.empty()) {
      ParagraphSpec left = Body(b.doc_number, Role::kFangSong, 1);
      left.align = Align::kLeft;
      // "签发人：" in 3号仿宋, the name in 3号楷体, ending 1 字 from the right.
      ParagraphSpec name = Body(b.signer, Role::kKai, 0);
      name.align = Align::kRight;
      name.width = g_.type_width - pitch();
      ParagraphSpec label = Body(U"签发人：", Role::kFangSong, 0);
      label.align = Align::kLeft;
      label.avoid_orphan = false;
      // The colon keeps its full width here: it is followed by the name, not by the end of a line.
      const double label_x = g_.type_left() + name.width - MeasureText(b.signer, name.style, fonts_) - 4 * pitch();
      for (const ComposedLine& l : ComposeParagraph(left, fonts_)) DrawLine(l, g_.type_left(), y_, size::k3Hao);
      for (const ComposedLine& l : ComposeParagraph(label, fonts_)) DrawLine(l, label_x, y_, size::k3Hao);
      for (const ComposedLine& l : ComposeParagraph(name, fonts_)) DrawLine(l, g_.type_left(), y_, size::k3Hao);
    } else if (!b.doc_number.empty()) {
      ParagraphSpec ps = Body(b.doc_number, Role::kFangSong, 0);
      ps.align = Align::kCenter;
      for (const ComposedLine& l : ComposeParagraph(ps, fonts_)) DrawLine(l, g_.type_left(), y_, size::k3Hao);
    }
    // Red separator 4 mm below the number, as wide as the type area.
    const double number_bottom = y_ - (lp() - size::k3Hao) / 2 - size::k3Hao;
    const double rule_y = number_bottom - Mm(4);
    page().rules.push_back(Rule{g_.type_left(), rule_y, g_.type_right(), rule_y, Mm(0.5), kRed});
    // The title goes two blank lines below the red line.
    y_ = rule_y;
    SnapToGrid();
    y_ -= 2 * lp();
  }

  void LetterHead() {
    // 信函格式 (§10.1): organ name 30 mm from the top edge; red double line (thick over thin) 4 mm below it and
    // (thin over thick) 20 mm above the bottom edge, both 170 mm long.
    if (spec_.letterhead.empty()) {
      letter_body_top_ = g_.type_top();
      return;
    }
    // The organ name in 2号 (narrowed or in more lines when long, never smaller), its top 30 mm from the top edge.
    const double mark_bottom = OrganMark(spec_.letterhead, g_.height - Mm(30), size::k2Hao);
    // The thick line's top edge 4 mm under the name; the thin one 0.55 mm under it (centres 1.2 mm apart).
    const double x1 = (g_.width - Mm(170)) / 2, x2 = x1 + Mm(170);
    const double thick_y = mark_bottom - Mm(4) - Mm(0.5);
    const double thin_y = thick_y - Mm(1.2);
    page().rules.push_back(Rule{x1, thick_y, x2, thick_y, Mm(1.0), kRed});
    page().rules.push_back(Rule{x1, thin_y, x2, thin_y, Mm(0.3), kRed});
    const double bottom_y = Mm(20);
    page().rules.push_back(Rule{x1, bottom_y + Mm(1.2), x2, bottom_y + Mm(1.2), Mm(0.3), kRed});
    page().rules.push_back(Rule{x1, bottom_y, x2, bottom_y, Mm(1.0), kRed});
    // §10.1: the first element under the double line (编号 / 发文字号, flush right) is 7/8 of a 3号 character's height
    // (14 pt = 4.94 mm) under it; page 1's grid starts on that line.
    const double first_em_top = thin_y - Mm(0.15) - size::k3Hao * 7 / 8;
    letter_body_top_ = first_em_top + (lp() - size::k3Hao) / 2;
    y_ = letter_body_top_;
  }

  // 发文机关标志 (版头 and 信函 letterhead): red 小标宋, centred in the type area, the top of its first line's em box at
  // `top`; as large as fits on one line up to `max_size`. Never smaller than the title (kMinMarkSize): a longer name
  // is narrowed by horizontal scaling down to kMinMarkScale and beyond that set in balanced lines broken between
  // words, each narrowed as much as it needs. Returns the bottom of the last line's em box.
  double OrganMark(const std::u32string& name, double top, double max_size) {
    TextStyle st;
    st.role = Role::kXiaobiaoSong;
    st.size = 1;
    double size = std::min(max_size, g_.type_width / std::max(1e-6, MeasureText(name, st, fonts_)));
    std::vector<std::u32string> lines{name};
    if (size < kMinMarkSize) {
      size = kMinMarkSize;
      st.size = size;
      lines = BalancedLines(name, st, g_.type_width / kMinMarkScale, fonts_);
    }
    st.size = size;
    st.color = kRed;
    const double leading = size * 1.25;
    double y = top;
    for (const std::u32string& text : lines) {
      ParagraphSpec ps;
      ps.text = text;
      ps.style = st;
      ps.width = 1e6;  // one line: the scale below makes it fit
      ps.align = Align::kLeft;
      ps.avoid_orphan = false;
      for (const ComposedLine& line : ComposeParagraph(ps, fonts_)) {
        const double scale = std::min(1.0, g_.type_width / std::max(1e-6, line.width));
        const double left = g_.type_left() + (g_.type_width - line.width * scale) / 2;
        DrawLine(line, left, y + (std::max(lp(), size) - size) / 2, size, kRed, fonts_.bold(Role::kXiaobiaoSong), scale);
        y -= leading;
      }
    }
    return y + leading - size;
  }

  // 联合行文的发文机关标志 (§7.2.2): every organ's name, lead organ first, stacked one per line and spread to the
  // same width (分散对齐), with `suffix` (「文件」) to their right, centred on the stack. Stacked rather than the lead
  // organ alone: both organs sign and seal this document, and a reader of the header must see both; the standard
  // allows either and puts 「文件」 right of the names. Red 小标宋, as large as fits up to 36 pt (two lines of the
  // single mark's 48 pt would crowd the header), never under 22 pt (then narrowed, like OrganMark).
  // Returns the bottom of the last line's em box.
  double JointOrganMark(const std::vector<std::u32string>& names, const std::u32string& suffix, double top) {
    TextStyle st;
    st.role = Role::kXiaobiaoSong;
    st.size = 1;
    double names_w1 = 0;
    for (const std::u32string& n : names) names_w1 = std::max(names_w1, MeasureText(n, st, fonts_));
    const double suffix_w1 = suffix.empty() ? 0 : 1 + MeasureText(suffix, st, fonts_);  // one em apart
    double size = std::min(36.0, g_.type_width / std::max(1e-6, names_w1 + suffix_w1));
    double scale = 1;
    if (size < kMinMarkSize) {
      scale = std::max(kMinMarkScale, size / kMinMarkSize);
      size = kMinMarkSize;
    }
    const double names_w = names_w1 * size * scale, total_w = (names_w1 + suffix_w1) * size * scale;
    const double left = g_.type_left() + std::max(0.0, (g_.type_width - total_w) / 2);
    const double leading = size * 1.25;
    auto compose = [&](const std::u32string& text) {
      ParagraphSpec ps;
      ps.text = text;
      ps.style = st;
      ps.style.size = size;
      ps.style.color = kRed;
      ps.width = 1e6;
      ps.align = Align::kLeft;
      ps.avoid_orphan = false;
      std::vector<ComposedLine> lines = ComposeParagraph(ps, fonts_);
      return lines.empty() ? ComposedLine{} : lines.front();
    };
    const double bold = fonts_.bold(Role::kXiaobiaoSong);
    const double pad = (std::max(lp(), size) - size) / 2;  // DrawLine centres the em box in a grid-high box
    double y = top;
    for (const std::u32string& name : names) {
      ComposedLine line = compose(name);
      // Spread: the gaps between characters grow so that every name spans the longest one's width.
      if (line.glyphs.size() > 1) {
        const double extra = (names_w / scale - line.width) / (line.glyphs.size() - 1);
        for (size_t i = 0; i < line.glyphs.size(); ++i) line.glyphs[i].x += extra * i;
      }
      DrawLine(line, left, y + pad, size, kRed, bold, scale);
      y -= leading;
    }
    const double bottom = y + leading - size;
    if (!suffix.empty()) {
      const double middle = (top + bottom) / 2;
      DrawLine(compose(suffix), left + names_w + size * scale, middle + size / 2 + pad, size, kRed, bold, scale);
    }
    return bottom;
  }

  void Title(const std::u32string& text) {
    // 信函 (§10.1): the title is two lines under the last element above it (the 编号, or the double line).
    if (spec_.style == PageStyle::kLetter && doc_.pages.size() == 1 && !letter_title_placed_) {
      SnapToGrid();
      y_ -= 2 * lp();
      letter_title_placed_ = true;
    }
    // §7.3.1: centred, broken only between words (word_breaks.h), in the fewest lines the type area allows, of near
    // equal length, shaped as a trapezoid or a diamond.
    TextStyle st;
    st.role = Role::kXiaobiaoSong;
    st.size = size::k2Hao;
    for (const std::u32string& piece : BalancedLines(text, st, g_.type_width, fonts_)) {
      ParagraphSpec ps;
      ps.text = piece;
      ps.style = st;
      ps.width = g_.type_width;
      ps.align = Align::kCenter;
      ps.avoid_orphan = false;
      for (const ComposedLine& line : ComposeParagraph(ps, fonts_)) {
        EnsureLines(1);
        DrawLine(line, g_.type_left(), y_, size::k2Hao, kBlack, fonts_.bold(Role::kXiaobiaoSong));
        y_ -= lp();
      }
    }
    y_ -= lp();  // one blank line between the title and the addressee / body
  }

  void AttachmentNote(const Block& b) {
    y_ -= lp();  // one blank line below the body
    const std::u32string label = U"附件：";
    for (size_t i = 0; i < b.items.size(); ++i) {
      std::u32string number = b.items.size() > 1 ? DigitsToU32(static_cast<int>(i + 1)) + U"." : U"";
      std::u32string text = (i == 0 ? label : U"") + number + b.items[i];
      ParagraphSpec ps = Body(text, Role::kFangSong, i == 0 ? 2 : 5);
      TextStyle st = ps.style;
      ps.hanging_indent = 5 * pitch() + MeasureText(number, st, fonts_);
      ps.avoid_orphan = false;
      GridParagraph(ps, g_.type_left());
    }
  }

  void Signature(const Block& b) {
    // Sealed (§7.3.5.1): date right-indented 4 字, organ centred above the date, the seal over both with its top
    // within one line of the body. Unsealed (§7.3.5.2): organ right-indented 2 字 one blank line below the body,
    // the date on the next line starting 2 字 further right. An organ name too long for that place is broken
    // between words into balanced lines, each centred on the same axis (never flush right, never off the page).
    TextStyle st;
    st.role = Role::kFangSong;
    st.size = size::k3Hao;
    st.pitch = pitch();
    const double date_w = MeasureText(b.date, st, fonts_);
    const double right = g_.type_right();
    double date_x, organ_axis, organ_max;
    if (b.sealed) {
      date_x = right - 4 * pitch() - date_w;
      organ_axis = date_x + date_w / 2;
      organ_max = 2 * (right - organ_axis);  // centred on the date and inside the type area
    } else {
      organ_max = g_.type_width - 6 * pitch();
      date_x = organ_axis = 0;  // set below, from the organ's width
    }
    std::vector<std::u32string> organ_lines = BalancedLines(b.organ, st, organ_max, fonts_);
    double organ_w = 0;
    for (const std::u32string& l : organ_lines) organ_w = std::max(organ_w, MeasureText(l, st, fonts_));
    organ_w = std::min(organ_w, organ_max);
    if (!b.sealed) {
      double organ_x = right - 2 * pitch() - organ_w;
      date_x = organ_x + 2 * pitch();
      if (date_x + date_w > right - 2 * pitch()) {
        date_x = right - 2 * pitch() - date_w;
        organ_x = date_x - 2 * pitch();
      }
      organ_axis = organ_x + organ_w / 2;
    }
    const int k = static_cast<int>(organ_lines.size());
    // The seal spans about three lines: with a name in several lines one blank line keeps its top near the body.
    SignatureStart(b.sealed && k == 1 ? 2 : 1, k + 1);
    const double organ_top = y_;
    for (const std::u32string& text : organ_lines) {
      ParagraphSpec ps;
      ps.text = text;
      ps.style = st;
      ps.width = organ_max;
      ps.align = Align::kCenter;
      ps.avoid_orphan = false;
      for (const ComposedLine& l : ComposeParagraph(ps, fonts_)) {
        DrawLine(l, organ_axis - organ_max / 2, y_, st.size);
        y_ -= lp();
      }
    }
    ParagraphSpec date;
    date.text = b.date;
    date.style = st;
    date.width = right - date_x + 1;
    date.align = Align::kLeft;
    date.avoid_orphan = false;
    for (const ComposedLine& l : ComposeParagraph(date, fonts_)) {
      DrawLine(l, date_x, y_, st.size);
      y_ -= lp();
    }
    const int page_index = static_cast<int>(doc_.pages.size()) - 1;
    if (b.sealed) {
      // A 42 mm seal on the date's axis, the signature a little below its centre.
      const double d = Mm(42);
      const double cx = date_x + date_w / 2, cy = organ_top - (k + 1) * lp() / 2 + 0.1 * lp();
      doc_.seal = SealBox{page_index, cx - d / 2, cy - d / 2, d, d};
    } else {
      const double organ_x = organ_axis - organ_w / 2;
      doc_.seal = SealBox{page_index, organ_x, y_, right - organ_x, (k + 1) * lp()};
    }
  }

  // Moves the cursor to where a signature of `lines` grid lines starts, `blank` lines below the body.
  // §7.3.5.5: the signature's page carries at least two lines of the body. Tighten rather than leave the
  // signature alone on a new page; if even that does not fit, or its page holds a single line of body, the
  // body's last two lines go to the next page with it (LayOutDocument lays the document out again).
  void SignatureStart(int blank, int lines) {
    SnapToGrid();
    auto keep_last_two_lines = [&]() {
      if (keep_with_signature_ == SIZE_MAX && break_before_line_ == SIZE_MAX && grid_lines_ >= 2 && lines_on_page_ >= 1)
        keep_with_signature_ = grid_lines_ - 2;
    };
    if (y_ - (blank + lines) * lp() < Bottom() - 0.5) {
      if (y_ - lines * lp() < Bottom() - 0.5) {
        keep_last_two_lines();
        NewPage();
      }
    } else {
      y_ -= blank * lp();
    }
    if (lines_on_page_ == 1) keep_last_two_lines();
  }

  // 联合行文 sealed signatures (§7.3.5.2): the organs' names in one row, the lead organ first (left), each under the
  // centre of its own seal; the seals the same size, on one line, apart (never touching); the last seal also over
  // the 成文日期, which is right-indented 4 字 as for one organ. When the organs signed on different days each date
  // goes under its own name instead. A name too long for its column is broken between words (balanced lines).
  void JointSignature(const Block& b) {
    TextStyle st;
    st.role = Role::kFangSong;
    st.size = size::k3Hao;
    st.pitch = pitch();
    const size_t n = b.organs.size();
    const double d = Mm(42), seal_gap = Mm(4), name_gap = 2 * pitch();
    const double right = g_.type_right();
    bool one_date = true;
    for (const std::u32string& date : b.dates) one_date = one_date && date == b.dates.front();
    auto width_of = [&](const std::vector<std::u32string>& lines) {
      double w = 0;
      for (const std::u32string& l : lines) w = std::max(w, MeasureText(l, st, fonts_));
      return w;
    };
    // Names on one line each when they fit side by side, else each in balanced lines within its column.
    std::vector<std::vector<std::u32string>> names(n);
    std::vector<double> w(n), date_w(n);
    double need = (n - 1) * name_gap;
    for (size_t i = 0; i < n; ++i) {
      names[i] = {b.organs[i]};
      w[i] = width_of(names[i]);
      date_w[i] = i < b.dates.size() ? MeasureText(b.dates[i], st, fonts_) : 0;
      need += std::max(w[i], one_date ? 0.0 : date_w[i]);
    }
    if (need > g_.type_width - 4 * pitch()) {
      const double column = (g_.type_width - 4 * pitch() - (n - 1) * name_gap) / n;
      for (size_t i = 0; i < n; ++i) {
        names[i] = BalancedLines(b.organs[i], st, column, fonts_);
        w[i] = std::min(column, width_of(names[i]));
      }
    }
    // Axes from the right: the last one on the date's centre, the others leftwards, far enough apart for the
    // seals not to touch and the names not to run together; the row is moved right if it overflows the left edge.
    std::vector<double> axis(n);
    const double last_date_w = b.dates.empty() ? 0 : date_w[n - 1];
    axis[n - 1] = std::min(right - 4 * pitch() - last_date_w / 2, right - w[n - 1] / 2);
    for (size_t i = n - 1; i-- > 0;) {
      double span = (w[i] + w[i + 1]) / 2 + name_gap;
      if (!one_date) span = std::max(span, (date_w[i] + date_w[i + 1]) / 2 + name_gap);
      span = std::max(d + seal_gap, span);
      // The blank between two names is a whole number of characters: two fields apart, not a stretched line.
      const double blank = span - (w[i] + w[i + 1]) / 2;
      axis[i] = axis[i + 1] - (span + std::ceil(blank / st.size - 1e-6) * st.size - blank);
    }
    const double overflow = g_.type_left() - (axis[0] - std::max(w[0], d) / 2);
    if (overflow > 0)
      for (double& a : axis) a += overflow;
    size_t k = 1;
    for (const auto& lines : names) k = std::max(k, lines.size());
    SignatureStart(k == 1 ? 2 : 1, static_cast<int>(k) + 1);
    const double organ_top = y_;
    for (size_t i = 0; i < n; ++i) {
      double y = organ_top;
      for (const std::u32string& text : names[i]) {
        ParagraphSpec ps;
        ps.text = text;
        ps.style = st;
        ps.width = w[i] + 1;
        ps.align = Align::kCenter;
        ps.avoid_orphan = false;
        for (const ComposedLine& l : ComposeParagraph(ps, fonts_)) {
          DrawLine(l, axis[i] - ps.width / 2, y, st.size);
          y -= lp();
        }
      }
    }
    const double date_top = organ_top - k * lp();
    for (size_t i = 0; i < b.dates.size() && i < n; ++i) {
      if (one_date && i + 1 != n) continue;
      ParagraphSpec ps;
      ps.text = b.dates[i];
      ps.style = st;
      ps.width = date_w[i] + 1;
      ps.align = Align::kLeft;
      ps.avoid_orphan = false;
      for (const ComposedLine& l : ComposeParagraph(ps, fonts_)) DrawLine(l, axis[i] - date_w[i] / 2, date_top, st.size);
    }
    y_ = date_top - lp();
    const int page_index = static_cast<int>(doc_.pages.size()) - 1;
    const double cy = organ_top - (k + 1) * lp() / 2 + 0.1 * lp();
    doc_.seals.clear();
    for (size_t i = 0; i < n; ++i) doc_.seals.push_back(SealBox{page_index, axis[i] - d / 2, cy - d / 2, d, d});
    doc_.seal = doc_.seals.front();
  }

  void AttachmentPage(const Block& b) {
    NewPage();
    ParagraphSpec label = Body(b.label, Role::kHei, 0);
    label.avoid_orphan = false;
    GridParagraph(label, g_.type_left());
    y_ -= lp();  // the title is on line 3
    if (!b.title.empty()) Title(b.title);
  }

  void EndMatter(const Block& b) {
    // 版记 sits on the bottom of the type area of the last page: rule, 抄送, rule, 印发 line, rule.
    const double size = size::k4Hao;
    const double line_h = lp();
    int lines = (b.cc.empty() ? 0 : 1) + 1;
    SnapToGrid();
    if (y_ - lines * line_h < Bottom()) NewPage();
    double y = g_.type_bottom();
    const double l = g_.type_left(), r = g_.type_right();
    page().rules.push_back(Rule{l, y, r, y, Mm(0.35), kBlack});
    ParagraphSpec printer;
    printer.text = b.printer;
    printer.style.role = Role::kFangSong;
    printer.style.size = size;
    printer.width = g_.type_width - 2 * size;
    printer.align = Align::kLeft;
    printer.avoid_orphan = false;
    for (const ComposedLine& ln : ComposeParagraph(printer, fonts_)) DrawLine(ln, l + size, y + line_h, size);
    ParagraphSpec date = printer;
    date.text = b.date + U"印发";
    date.align = Align::kRight;
    for (const ComposedLine& ln : ComposeParagraph(date, fonts_)) DrawLine(ln, l + size, y + line_h, size);
    y += line_h;
    if (!b.cc.empty()) {
      page().rules.push_back(Rule{l, y, r, y, Mm(0.25), kBlack});
      ParagraphSpec cc = printer;
      cc.text = U"抄送：" + b.cc + (b.cc.back() == U'。' ? U"" : U"。");
      cc.align = Align::kJustify;
      std::vector<ComposedLine> cl = ComposeParagraph(cc, fonts_);
      y += line_h * cl.size();
      double ly = y;
      for (const ComposedLine& ln : cl) {
        DrawLine(ln, l + size, ly, size);
        ly -= line_h;
      }
    }
    page().rules.push_back(Rule{l, y, r, y, Mm(0.35), kBlack});
    y_ = Bottom();
  }

  void Image(const Block& b) {
    const double w = Mm(b.image_w_mm), h = Mm(b.image_h_mm);
    SnapToGrid();
    if (y_ - h < Bottom()) NewPage();
    double x = g_.type_left();
    if (b.image_align == Align::kCenter) x += (g_.type_width - w) / 2;
    if (b.image_align == Align::kRight) x = g_.type_right() - w;
    page().images.push_back(ImageBox{DecodeImageOrThrow(b.image_bytes), x, y_ - h, w, h});
    y_ -= h;
  }

  // ---- forms ----------------------------------------------------------------------------------------------------
  // A ruled grid: rows of cells with column and row spans. Rows grow with their text; a group of rows tied by a
  // row span moves whole to the next page; a single row taller than the space left is split between its lines.
  // Every continuation page starts with the section heading + "（续）" and the rows marked `repeat`.
  static constexpr double kFormPadX = 4, kFormPadY = 3;
  static constexpr double kPhotoW = 25 * kPtPerMm, kPhotoH = 35 * kPtPerMm;  // 一寸照片

  struct FormCellLayout {
    const FormCell* cell = nullptr;
    double x = 0, w = 0;
    std::vector<ComposedLine> lines;  // top lines then foot lines
    size_t foot_from = 0;             // index of the first foot line
    double need = 0;                  // content height including padding
  };

  struct FormLayout {
    const Block* b = nullptr;
    double lh = 18;
    std::vector<std::vector<FormCellLayout>> rows;  // per row, its cells
    std::vector<double> heights;                    // per row
  };

  FormCellLayout LayOutCell(const Block& b, const FormCell& c, double lh) {
    FormCellLayout out;
    out.cell = &c;
    double x = g_.type_left();
    for (int i = 0; i < c.col && i < static_cast<int>(b.form_columns.size()); ++i) x += b.form_columns[i] * g_.type_width;
    double w = 0;
    for (int i = c.col; i < c.col + c.colspan && i < static_cast<int>(b.form_columns.size()); ++i)
      w += b.form_columns[i] * g_.type_width;
    out.x = x;
    out.w = w;
    if (c.photo) {
      out.need = kPhotoH + 2 * kFormPadY;
      return out;
    }
    std::vector<ComposedLine> foot;
    for (const FormPara& p : c.paras) {
      std::vector<ComposedLine>& dst = p.foot ? foot : out.lines;
      if (p.text.empty()) {
        dst.emplace_back();
        continue;
      }
      ParagraphSpec ps;
      ps.text = p.text;
      ps.style.role = c.label ? Role::kHei : Role::kFangSong;
      ps.style.size = b.form_font_size;
      ps.width = std::max(b.form_font_size, w - 2 * kFormPadX);
      ps.align = p.align;
      ps.avoid_orphan = true;  // no single character on a cell's last line
      ps.words_whole = true;
      for (ComposedLine& l : ComposeParagraph(ps, fonts_)) dst.push_back(std::move(l));
    }
    out.foot_from = out.lines.size();
    for (ComposedLine& l : foot) out.lines.push_back(std::move(l));
    out.need = std::max<size_t>(1, out.lines.size()) * lh + 2 * kFormPadY;
    return out;
  }

  void DrawCellLine(const ComposedLine& line, double left, double top, double size, double lh) {
    const double baseline = top - (lh - size) / 2 - kAscent * size;
    TextRun* run = nullptr;
    for (const ComposedGlyph& cg : line.glyphs) {
      if (!run || run->face != cg.face) {
        page().runs.push_back(TextRun{cg.face, size, baseline, kBlack, 0, {}});
        run = &page().runs.back();
      }
      run->glyphs.push_back({cg.cp, left + cg.x});
    }
  }

  void DrawCellBox(const FormLayout& f, const FormCellLayout& cl, double top, double bottom) {
    const Block& b = *f.b;
    const double l = cl.x, r = cl.x + cl.w;
    if (b.form_rules) {
      page().rules.push_back(Rule{l, top, r, top, 0.6, kBlack});
      page().rules.push_back(Rule{l, bottom, r, bottom, 0.6, kBlack});
      page().rules.push_back(Rule{l, top, l, bottom, 0.6, kBlack});
      page().rules.push_back(Rule{r, top, r, bottom, 0.6, kBlack});
    } else if (cl.cell->underline) {
      page().rules.push_back(Rule{l + kFormPadX / 2, bottom, r - kFormPadX / 2, bottom, 0.6, kBlack});
    }
  }

  // The whole of a cell between `top` and `bottom`.
  void DrawCell(const FormLayout& f, const FormCellLayout& cl, double top, double bottom) {
    const Block& b = *f.b;
    DrawCellBox(f, cl, top, bottom);
    const FormCell& c = *cl.cell;
    if (c.photo) {
      const double box_w = std::min(kPhotoW, cl.w - 2 * kFormPadX), box_h = std::min(kPhotoH, top - bottom - 2 * kFormPadY);
      const double cx = cl.x + cl.w / 2, cy = (top + bottom) / 2;
      if (!c.image_bytes.empty()) {
        std::shared_ptr<const image::DecodedImage> px = DecodeImageOrThrow(c.image_bytes);
        const double scale = std::min(box_w / px->width, box_h / px->height);
        const double w = px->width * scale, h = px->height * scale;
        page().images.push_back(ImageBox{std::move(px), cx - w / 2, cy - h / 2, w, h});
      } else {
        // No photo: an empty one-inch box with 照片 in it.
        const double l = cx - box_w / 2, r = cx + box_w / 2, t = cy + box_h / 2, btm = cy - box_h / 2;
        if (!b.form_rules || box_w + 2 * kFormPadX < cl.w - 1 || box_h + 2 * kFormPadY < top - bottom - 1) {
          page().rules.push_back(Rule{l, t, r, t, 0.4, kBlack});
          page().rules.push_back(Rule{l, btm, r, btm, 0.4, kBlack});
          page().rules.push_back(Rule{l, t, l, btm, 0.4, kBlack});
          page().rules.push_back(Rule{r, t, r, btm, 0.4, kBlack});
        }
        ParagraphSpec ps;
        ps.text = U"照片";
        ps.style.role = Role::kFangSong;
        ps.style.size = b.form_font_size;
        ps.width = box_w;
        ps.align = Align::kCenter;
        ps.avoid_orphan = false;
        for (const ComposedLine& line : ComposeParagraph(ps, fonts_))
          DrawCellLine(line, l, cy + f.lh / 2, b.form_font_size, f.lh);
      }
      return;
    }
    const size_t n_top = cl.foot_from, n_foot = cl.lines.size() - cl.foot_from;
    const double inner = top - bottom - 2 * kFormPadY;
    double y = top - kFormPadY;
    if (!c.top && n_foot == 0) y -= std::max(0.0, (inner - n_top * f.lh) / 2);
    for (size_t i = 0; i < n_top; ++i, y -= f.lh) DrawCellLine(cl.lines[i], cl.x + kFormPadX, y, b.form_font_size, f.lh);
    y = bottom + kFormPadY + n_foot * f.lh;
    for (size_t i = n_top; i < cl.lines.size(); ++i, y -= f.lh)
      DrawCellLine(cl.lines[i], cl.x + kFormPadX, y, b.form_font_size, f.lh);
  }

  // Rows [a, e) drawn whole from the cursor down.
  void DrawFormRows(const FormLayout& f, size_t a, size_t e) {
    std::vector<double> tops;
    double y = y_;
    for (size_t r = a; r < e; ++r) {
      tops.push_back(y);
      y -= f.heights[r];
    }
    tops.push_back(y);
    for (size_t r = a; r < e; ++r)
      for (const FormCellLayout& cl : f.rows[r]) {
        size_t last = std::min(e, r + std::max(1, cl.cell->rowspan));
        DrawCell(f, cl, tops[r - a], tops[last - a]);
      }
    y_ = y;
  }

  void FormHeading(const Block& b, bool continued) {
    if (b.text.empty()) return;
    ParagraphSpec ps;
    ps.text = continued ? b.text + U"（续）" : b.text;
    ps.style.role = Role::kHei;
    ps.style.size = size::k4Hao;
    ps.width = g_.type_width;
    ps.align = Align::kLeft;
    ps.avoid_orphan = false;
    const double h = size::k4Hao * 2;
    for (const ComposedLine& line : ComposeParagraph(ps, fonts_)) {
      DrawCellLine(line, g_.type_left(), y_, size::k4Hao, h);
      y_ -= h;
    }
  }

  void Form(const Block& b) {
    FormLayout f;
    f.b = &b;
    f.lh = b.form_font_size * 1.5;
    const size_t n = b.form_rows.size();
    f.rows.resize(n);
    f.heights.assign(n, 0);
    for (size_t r = 0; r < n; ++r) {
      const FormRow& row = b.form_rows[r];
      f.heights[r] = std::max(Mm(row.min_height_mm), f.lh + 2 * kFormPadY);
      for (const FormCell& c : row.cells) {
        f.rows[r].push_back(LayOutCell(b, c, f.lh));
        if (c.rowspan <= 1) f.heights[r] = std::max(f.heights[r], f.rows[r].back().need);
      }
    }
    // A cell spanning rows gets its height from the last of them when the rows together are too short.
    for (size_t r = 0; r < n; ++r)
      for (const FormCellLayout& cl : f.rows[r]) {
        if (cl.cell->rowspan <= 1) continue;
        size_t last = std::min(n, r + cl.cell->rowspan) - 1;
        double sum = 0;
        for (size_t k = r; k <= last; ++k) sum += f.heights[k];
        if (sum < cl.need) f.heights[last] += cl.need - sum;
      }
    const double heading_h = b.text.empty() ? 0 : size::k4Hao * 2;
    std::vector<size_t> repeats;  // repeat rows met so far
    auto repeat_h = [&]() {
      double h = 0;
      for (size_t r : repeats) h += f.heights[r];
      return h;
    };
    auto continuation = [&]() {
      NewPage();
      FormHeading(b, true);
      for (size_t r : repeats) DrawFormRows(f, r, r + 1);
    };
    SnapToGrid();
    // Keep the heading with the first rows.
    double keep = heading_h;
    size_t lead = 0;
    while (lead < n && b.form_rows[lead].repeat) keep += f.heights[lead++];
    if (lead < n) keep += std::min(f.heights[lead], 4 * f.lh + 2 * kFormPadY);
    if (y_ - keep < Bottom() - 0.01 && y_ < g_.type_top() - 1) NewPage();
    FormHeading(b, false);
    size_t r = 0;
    while (r < n) {
      size_t e = r + 1;
      for (size_t k = r; k < e; ++k)
        for (const FormCellLayout& cl : f.rows[k]) e = std::max(e, std::min(n, k + std::max(1, cl.cell->rowspan)));
      double h = 0;
      for (size_t k = r; k < e; ++k) h += f.heights[k];
      const double avail = y_ - Bottom();
      if (h <= avail + 0.01) {
        DrawFormRows(f, r, e);
      } else {
        const double capacity = g_.type_top() - Bottom() - heading_h - repeat_h();
        size_t lines = 0;
        for (const FormCellLayout& cl : f.rows[r]) lines = std::max(lines, cl.lines.size());
        const bool splittable = e == r + 1 && lines > 1 && (h > capacity || lines > 6);
        if (!splittable) {
          continuation();
          DrawFormRows(f, r, e);
        } else {
          SplitFormRow(f, r, [&]() { continuation(); });
        }
      }
      if (b.form_rows[r].repeat && e == r + 1) repeats.push_back(r);
      r = e;
    }
    y_ -= 0.01;
    SnapToGrid();
  }

  // One row, line by line across pages: every piece is ruled as a row of its own.
  template <typename NewPageFn>
  void SplitFormRow(const FormLayout& f, size_t r, NewPageFn next_page) {
    const auto& cells = f.rows[r];
    size_t total = 0;
    for (const FormCellLayout& cl : cells) total = std::max(total, cl.lines.size());
    size_t from = 0;
    while (from < total) {
      size_t fit = static_cast<size_t>(std::floor((y_ - Bottom() - 2 * kFormPadY + 0.01) / f.lh));
      if (fit < 2 && total - from > fit) {
        next_page();
        continue;
      }
      size_t to = std::min(total, from + fit);
      double h = (to - from) * f.lh + 2 * kFormPadY;
      if (to == total) h = std::max(h, f.heights[r] - (from * f.lh));  // the last piece keeps the row's minimum
      h = std::min(h, y_ - Bottom());
      for (const FormCellLayout& cl : cells) {
        DrawCellBox(f, cl, y_, y_ - h);
        double y = y_ - kFormPadY;
        for (size_t i = from; i < std::min(cl.lines.size(), to); ++i, y -= f.lh)
          DrawCellLine(cl.lines[i], cl.x + kFormPadX, y, f.b->form_font_size, f.lh);
      }
      y_ -= h;
      from = to;
      if (from < total) next_page();
    }
  }

  // ---- tables ---------------------------------------------------------------------------------------------------
  struct CellLines {
    std::vector<ComposedLine> lines;
  };

  std::vector<CellLines> ComposeRow(const std::vector<std::u32string>& cells, const Block& b, bool header) {
    std::vector<CellLines> out;
    for (size_t c = 0; c < b.columns.size(); ++c) {
      ParagraphSpec ps;
      ps.text = c < cells.size() ? cells[c] : U"";
      ps.style.role = header ? Role::kHei : Role::kFangSong;
      ps.style.size = b.table_font_size;
      ps.width = col_w_[c] - 2 * kCellPadX;
      ps.align = header ? Align::kCenter : b.columns[c].align;
      ps.avoid_orphan = true;  // no single character on a cell's last line (评审通过 / 资格, not 评审通过资 / 格)
      ps.words_whole = true;   // 高级 / 政工师, not 高级政 / 工师
      out.push_back({ComposeParagraph(ps, fonts_)});
    }
    return out;
  }

  // A text that must stay on one line of its cell: any cell of a 姓名 column (up to 10 characters), any header
  // or cell of at most 4 Han characters (a name, 性别, 职务), and a date (IsDateText). Splitting 「欧阳㐨 / 䶮」 breaks the name for a reader
  // and for text extraction alike.
  static bool KeepWhole(const std::u32string& text, bool name_column) {
    if (text.empty() || text.find(U'\n') != std::u32string::npos) return false;
    if (name_column) return text.size() <= 10;
    if (IsDateText(text)) return true;
    if (text.size() > 4) return false;
    for (char32_t cp : text)
      if (!IsWide(cp) || IsCjkPunctuation(cp)) return false;
    return true;
  }

  // A date as documents print it (2022年12月30日, 1980年1月): 「2022年12月 / 30日」 in a cell reads badly.
  static bool IsDateText(const std::u32string& text) {
    if (text.size() > 11 || text.find(U'年') == std::u32string::npos) return false;
    for (char32_t cp : text)
      if (!((cp >= U'0' && cp <= U'9') || cp == U'年' || cp == U'月' || cp == U'日')) return false;
    return true;
  }

  // Column widths in points: the template's fractions, then every column widened to hold its KeepWhole texts on
  // one line, the room taken from the other columns in proportion to what they can spare (down to 2 characters).
  // Without room to spare the texts wrap as before.
  void ColumnWidths(const Block& b) {
    const size_t n = b.columns.size();
    col_w_.assign(n, 0);
    std::vector<double> need(n, 0), floor_w(n, 0);
    TextStyle head, body;
    head.role = Role::kHei;
    body.role = Role::kFangSong;
    head.size = body.size = b.table_font_size;
    for (size_t c = 0; c < n; ++c) {
      col_w_[c] = b.columns[c].width_fraction * g_.type_width;
      const bool name_column = b.columns[c].header.find(U"姓名") != std::u32string::npos;
      if (KeepWhole(b.columns[c].header, false)) need[c] = MeasureText(b.columns[c].header, head, fonts_);
      for (const auto& row : b.rows)
        if (c < row.size() && KeepWhole(row[c], name_column))
          need[c] = std::max(need[c], MeasureText(row[c], body, fonts_));
      need[c] += 2 * kCellPadX + 0.01;
      floor_w[c] = std::max(need[c], 2 * b.table_font_size + 2 * kCellPadX);
    }
    double deficit = 0, slack = 0;
    for (size_t c = 0; c < n; ++c) {
      deficit += std::max(0.0, need[c] - col_w_[c]);
      slack += std::max(0.0, col_w_[c] - floor_w[c]);
    }
    if (deficit <= 0 || slack <= 0) return;
    const double give = std::min(1.0, deficit / slack), grow = std::min(1.0, slack / deficit);
    for (size_t c = 0; c < n; ++c) {
      if (need[c] > col_w_[c]) col_w_[c] += (need[c] - col_w_[c]) * grow;
      else col_w_[c] -= std::max(0.0, col_w_[c] - floor_w[c]) * give;
    }
  }

  static constexpr double kCellPadX = 3, kCellPadY = 3;

  double RowHeight(const std::vector<CellLines>& row, double lh) const {
    size_t n = 1;
    for (const auto& c : row) n = std::max(n, c.lines.size());
    return n * lh + 2 * kCellPadY;
  }

  void DrawRow(const std::vector<CellLines>& row, const Block& b, double top, double height, double lh,
               size_t from_line, size_t to_line) {
    double x = g_.type_left();
    const double width = g_.type_width;
    page().rules.push_back(Rule{x, top, x + width, top, 0.6, kBlack});
    page().rules.push_back(Rule{x, top - height, x + width, top - height, 0.6, kBlack});
    page().rules.push_back(Rule{x, top, x, top - height, 0.6, kBlack});
    for (size_t c = 0; c < b.columns.size(); ++c) {
      const double cw = col_w_[c];
      const auto& lines = row[c].lines;
      size_t shown = std::min(lines.size(), to_line) - std::min(lines.size(), from_line);
      // Vertically centre the cell's lines in the row.
      double ty = top - kCellPadY - (height - 2 * kCellPadY - shown * lh) / 2;
      for (size_t i = from_line; i < std::min(lines.size(), to_line); ++i) {
        const double size = b.table_font_size;
        const double baseline = ty - (lh - size) / 2 - kAscent * size;
        TextRun* run = nullptr;
        for (const ComposedGlyph& cg : lines[i].glyphs) {
          if (!run || run->face != cg.face) {
            page().runs.push_back(TextRun{cg.face, size, baseline, kBlack, 0, {}});
            run = &page().runs.back();
          }
          run->glyphs.push_back({cg.cp, x + kCellPadX + cg.x});
        }
        ty -= lh;
      }
      x += cw;
      page().rules.push_back(Rule{x, top, x, top - height, 0.6, kBlack});
    }
  }

  void Table(const Block& b) {
    const double lh = b.table_font_size * 1.5;
    ColumnWidths(b);
    SnapToGrid();
    std::vector<std::u32string> header_cells;
    for (const auto& c : b.columns) header_cells.push_back(c.header);
    const std::vector<CellLines> header = ComposeRow(header_cells, b, true);
    const double header_h = RowHeight(header, lh);
    auto start_page_with_header = [&](bool new_page) {
      if (new_page) NewPage();
      DrawRow(header, b, y_, header_h, lh, 0, SIZE_MAX);
      y_ -= header_h;
    };
    // Groups (a committee's rows under its heading row): a heading never stands alone at a page's foot — it goes
    // with its group's first rows (two, or one for a group of one) — and a group continued on a new page gets its
    // heading again with 「（续）」 under the repeated column headers.
    size_t group = SIZE_MAX;  // the group of the row being placed
    auto group_heading = [&](size_t g, bool continued) {
      std::vector<CellLines> cells = ComposeGroupHeading(b, b.groups[g].heading + (continued ? U"（续）" : U""));
      const double h = RowHeight(cells, lh);
      DrawGroupHeading(cells, b, y_, h, lh);
      y_ -= h;
    };
    auto group_keep = [&](size_t g) {
      const size_t first = b.groups[g].first_row;
      const size_t end = g + 1 < b.groups.size() ? b.groups[g + 1].first_row : b.rows.size();
      double h = RowHeight(ComposeGroupHeading(b, b.groups[g].heading), lh);
      for (size_t r = first; r < std::min(end, first + 2); ++r) h += RowHeight(ComposeRow(b.rows[r], b, false), lh);
      return h;
    };
    double first_keep = lh + 2 * kCellPadY;
    if (!b.groups.empty()) first_keep = group_keep(0);
    if (y_ - header_h - first_keep < Bottom()) NewPage();
    start_page_with_header(false);
    const bool grouped = !b.groups.empty();
    auto new_table_page = [&]() {
      if (b.repeat_header) start_page_with_header(true); else NewPage();
      if (grouped && group != SIZE_MAX) group_heading(group, true);
    };
    for (size_t ri = 0; ri < b.rows.size(); ++ri) {
      const auto& cells = b.rows[ri];
      if (grouped && (group == SIZE_MAX ? 0 : group + 1) < b.groups.size() &&
          b.groups[group == SIZE_MAX ? 0 : group + 1].first_row == ri) {
        group = group == SIZE_MAX ? 0 : group + 1;
        if (y_ - group_keep(group) < Bottom() - 0.01) {
          if (b.repeat_header) start_page_with_header(true); else NewPage();
        }
        group_heading(group, false);
      }
      std::vector<CellLines> row = ComposeRow(cells, b, false);
      double h = RowHeight(row, lh);
      if (y_ - h >= Bottom() - 0.01) {
        DrawRow(row, b, y_, h, lh, 0, SIZE_MAX);
        y_ -= h;
        continue;
      }
      const double page_capacity = TopOfBodyForNewPage() - Bottom() - header_h;
      if (h <= page_capacity) {  // a row is never split unless it is taller than a page
        new_table_page();
        DrawRow(row, b, y_, h, lh, 0, SIZE_MAX);
        y_ -= h;
        continue;
      }
      size_t total = 0;
      for (const auto& c : row) total = std::max(total, c.lines.size());
      size_t from = 0;
      while (from < total) {
        size_t fit = static_cast<size_t>(std::floor((y_ - Bottom() - 2 * kCellPadY) / lh));
        if (fit == 0) {
          start_page_with_header(true);
          continue;
        }
        size_t to = std::min(total, from + fit);
        double part_h = (to - from) * lh + 2 * kCellPadY;
        DrawRow(row, b, y_, part_h, lh, from, to);
        y_ -= part_h;
        from = to;
        if (from < total) start_page_with_header(true);
      }
    }
    y_ -= 0.01;
    SnapToGrid();
  }
  double TopOfBodyForNewPage() const { return g_.type_top(); }

  // A group's heading row: one cell across the table, 黑体, flush left.
  std::vector<CellLines> ComposeGroupHeading(const Block& b, const std::u32string& text) {
    ParagraphSpec ps;
    ps.text = text;
    ps.style.role = Role::kHei;
    ps.style.size = b.table_font_size;
    ps.width = g_.type_width - 2 * kCellPadX;
    ps.align = Align::kLeft;
    ps.avoid_orphan = true;
    ps.words_whole = true;
    return {CellLines{ComposeParagraph(ps, fonts_)}};
  }

  void DrawGroupHeading(const std::vector<CellLines>& cells, const Block& b, double top, double height, double lh) {
    const double x = g_.type_left(), width = g_.type_width;
    page().rules.push_back(Rule{x, top, x + width, top, 0.6, kBlack});
    page().rules.push_back(Rule{x, top - height, x + width, top - height, 0.6, kBlack});
    page().rules.push_back(Rule{x, top, x, top - height, 0.6, kBlack});
    page().rules.push_back(Rule{x + width, top, x + width, top - height, 0.6, kBlack});
    const double size = b.table_font_size;
    double ty = top - kCellPadY;
    for (const ComposedLine& line : cells.front().lines) {
      DrawLine(line, x + kCellPadX, ty + (lp() - lh) / 2, size);
      ty -= lh;
    }
  }

  // ---- page numbers ---------------------------------------------------------------------------------------------
  void PageNumbers() {
    if (!spec_.page_numbers) return;
    // — N —: 4号 half-width digits with an em dash each side; the top of the line 7 mm below the type area; odd pages
    // right-aligned 1 字 from the right, even pages left-aligned 1 字 from the left.
    const double size = size::k4Hao;
    for (size_t i = 0; i < doc_.pages.size(); ++i) {
      if (spec_.style == PageStyle::kLetter && i == 0) continue;  // 信函: no number on page 1
      ParagraphSpec ps;
      ps.text = U"— " + DigitsToU32(static_cast<int>(i + 1)) + U" —";
      ps.style.role = Role::kPageNumber;
      ps.style.size = size;
      ps.width = g_.type_width - 2 * size;
      ps.align = (i % 2 == 0) ? Align::kRight : Align::kLeft;
      ps.avoid_orphan = false;
      const double top = g_.type_bottom() - Mm(7);
      for (const ComposedLine& l : ComposeParagraph(ps, fonts_)) {
        TextRun* run = nullptr;
        for (const ComposedGlyph& cg : l.glyphs) {
          if (!run || run->face != cg.face) {
            doc_.pages[i].runs.push_back(TextRun{cg.face, size, top - kAscent * size, kBlack, 0, {}});
            run = &doc_.pages[i].runs.back();
          }
          run->glyphs.push_back({cg.cp, g_.type_left() + size + cg.x});
        }
      }
    }
  }

  const DocumentSpec& spec_;
  const fonts::FontSet& fonts_;
  const PageGeometry& g_;
  LaidOutDocument doc_;
  double y_ = 0;
  double letter_body_top_ = 0;
  bool letter_title_placed_ = false;
  // Keeping body text with the signature (§7.3.5.5): grid lines of text drawn so far, in all and on this page.
  size_t grid_lines_ = 0;
  size_t lines_on_page_ = 0;
  size_t break_before_line_ = SIZE_MAX;
  size_t keep_with_signature_ = SIZE_MAX;
  std::vector<double> col_w_;  // the current table's column widths, pt
};

}  // namespace

LaidOutDocument LayOutDocument(const DocumentSpec& spec, const fonts::FontSet& fonts, const PageGeometry& geometry) {
  PageBuilder builder(spec, fonts, geometry);
  LaidOutDocument doc = builder.Run();
  // The signature went to a page without body text: lay out again, breaking the page before the body's last two
  // lines so that they go with it (rare: costs one more layout of the document).
  if (builder.KeepWithSignature() != SIZE_MAX) doc = PageBuilder(spec, fonts, geometry, builder.KeepWithSignature()).Run();
  // The one place a single organ's seal becomes the list (a joint signature filled both itself).
  if (doc.seals.empty() && doc.seal.page >= 0) doc.seals = {doc.seal};
  return doc;
}

}  // namespace zhiping::layout
