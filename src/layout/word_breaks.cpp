#include "layout/word_breaks.h"

#include <algorithm>

#include <limits>
#include <unordered_map>

#include "layout/icu_breaks.h"
#include "layout/line_breaker.h"

namespace zhiping::layout {

namespace {

bool IsHan(char32_t cp) {
  return (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0x20000 && cp <= 0x3FFFF);
}

// Widths of text[a, b) as one line, measured once each.
class Widths {
 public:
  Widths(const std::u32string& text, const TextStyle& style, const fonts::FontSet& fonts)
      : text_(text), style_(style), fonts_(fonts) {}
  double operator()(size_t a, size_t b) {
    const size_t key = a * (text_.size() + 1) + b;
    auto it = memo_.find(key);
    if (it != memo_.end()) return it->second;
    return memo_[key] = MeasureText(text_.substr(a, b - a), style_, fonts_);
  }

 private:
  const std::u32string& text_;
  const TextStyle& style_;
  const fonts::FontSet& fonts_;
  std::unordered_map<size_t, double> memo_;
};

// The best split of `text` into lines at `cuts` (ascending, starting with 0 and ending with n).
class Balancer {
 public:
  Balancer(std::vector<size_t> cuts, Widths& w, double width, double em)
      : cuts_(std::move(cuts)), w_(w), width_(width), em_(em) {}

  // Fewest lines, greedily (optimal for the count): from each cut, the farthest cut that still fits. A piece
  // that fits nowhere is taken alone (it will be wrapped by the line rules). Returns the cut indices.
  std::vector<size_t> Greedy() {
    std::vector<size_t> out{0};
    size_t a = 0;
    while (a + 1 < cuts_.size()) {
      size_t b = a + 1;
      while (b + 1 < cuts_.size() && w_(cuts_[a], cuts_[b + 1]) <= width_ + 0.01) ++b;
      out.push_back(b);
      a = b;
    }
    return out;
  }

  std::vector<size_t> Best(std::vector<size_t> start) {
    best_ = std::move(start);
    lines_ = best_.size() - 1;
    best_cost_ = Cost(best_);
    if (lines_ < 2 || !Fits(best_)) return best_;
    std::vector<size_t> path{0};
    Search(path);
    return best_;
  }

  bool Fits(const std::vector<size_t>& idx) {
    for (size_t i = 1; i < idx.size(); ++i)
      if (w_(cuts_[idx[i - 1]], cuts_[idx[i]]) > width_ + 0.01) return false;
    return true;
  }

 private:
  double Cost(const std::vector<size_t>& idx) {
    std::vector<double> ws;
    double sum = 0;
    for (size_t i = 1; i < idx.size(); ++i) {
      ws.push_back(w_(cuts_[idx[i - 1]], cuts_[idx[i]]));
      sum += ws.back();
    }
    const double mean = sum / ws.size();
    double cost = 0;
    for (double x : ws) cost += (x - mean) * (x - mean);
    // An hourglass (a middle line clearly shorter than both neighbours) is the shape §7.3.1 rules out.
    for (size_t i = 1; i + 1 < ws.size(); ++i)
      if (ws[i] < ws[i - 1] - em_ / 2 && ws[i] < ws[i + 1] - em_ / 2) cost += 1e6 * em_ * em_;
    return cost;
  }

  void Search(std::vector<size_t>& path) {
    if (++nodes_ > kMaxNodes) return;  // bounded: the best split found so far stands
    const size_t a = path.back();
    const size_t left = lines_ - (path.size() - 1);  // lines still to fill, including the one starting at a
    if (left == 1) {
      if (w_(cuts_[a], cuts_.back()) > width_ + 0.01) return;
      path.push_back(cuts_.size() - 1);
      double c = Cost(path);
      if (c < best_cost_ - 1e-9) best_cost_ = c, best_ = path;
      path.pop_back();
      return;
    }
    // The rest must fit on the lines left.
    if (w_(cuts_[a], cuts_.back()) > left * width_ + 0.01) return;
    for (size_t b = a + 1; b + 1 < cuts_.size(); ++b) {
      if (w_(cuts_[a], cuts_[b]) > width_ + 0.01) break;
      path.push_back(b);
      Search(path);
      path.pop_back();
    }
  }

  static constexpr size_t kMaxNodes = 200000;
  std::vector<size_t> cuts_;
  Widths& w_;
  double width_, em_;
  size_t lines_ = 0, nodes_ = 0;
  std::vector<size_t> best_;
  double best_cost_ = std::numeric_limits<double>::infinity();
};

}  // namespace

const std::vector<std::u32string>& DomainWords() {
  static const std::vector<std::u32string> kWords = {
      U"高级|政工师", U"政工师", U"中评委", U"高评委", U"职评办", U"思想政治工作", U"专业职务",
      U"评审|委员会", U"委员会", U"工作人员", U"政工人员", U"评审结果", U"任职资格",
  };
  return kWords;
}

std::u32string PlainWord(const std::u32string& word) {
  std::u32string plain;
  for (char32_t c : word)
    if (c != U'|') plain += c;
  return plain;
}

WordBreakSets WordBreakSetsOf(const std::u32string& text) {
  const size_t n = text.size();
  WordBreakSets out;
  out.words.assign(n, false);
  out.long_words.assign(n, false);
  if (n == 0) return out;
  // The domain's words first: whole inside, boundaries at their edges (and at their marks, for long_words). Longer
  // words first in the list, so 高级政工师 wins over the 政工师 inside it.
  std::vector<bool> inside(n + 1, false), edge(n + 1, false), mark(n + 1, false);
  for (const std::u32string& marked : DomainWords()) {
    const std::u32string w = PlainWord(marked);
    for (size_t at = text.find(w); at != std::u32string::npos; at = text.find(w, at + 1)) {
      bool taken = false;
      for (size_t i = at; i <= at + w.size(); ++i) taken = taken || inside[i];
      if (taken) continue;  // overlaps a word placed already
      for (size_t i = at + 1; i < at + w.size(); ++i) inside[i] = true;
      edge[at] = edge[at + w.size()] = true;
      for (size_t k = 0, i = at; k < marked.size(); ++k) {
        if (marked[k] == U'|') mark[i] = true;
        else ++i;
      }
    }
  }
  const std::vector<size_t> icu = IcuBoundaries(IcuBreakKind::kWordZh, text);  // the costly part: once
  auto fill = [&](bool with_marks, std::vector<bool>* ok) {
    std::vector<size_t> bounds{0};
    for (size_t b : icu)
      if (!inside[b] || edge[b] || (with_marks && mark[b])) bounds.push_back(b);
    for (size_t i = 1; i < n; ++i)
      if (edge[i] || (with_marks && mark[i])) bounds.push_back(i);
    if (bounds.back() != n) bounds.push_back(n);
    std::sort(bounds.begin(), bounds.end());
    bounds.erase(std::unique(bounds.begin(), bounds.end()), bounds.end());
    // A boundary is a break only when neither neighbouring word is a single Han character.
    auto single_han = [&](size_t from, size_t to) { return to == from + 1 && IsHan(text[from]); };
    for (size_t k = 1; k + 1 < bounds.size(); ++k) {
      const size_t i = bounds[k];
      if (i == 0 || i >= n) continue;
      (*ok)[i] = !single_han(bounds[k - 1], i) && !single_han(i, bounds[k + 1]);
    }
  };
  fill(false, &out.words);
  fill(true, &out.long_words);
  return out;
}

std::vector<bool> WordBreaks(const std::u32string& text, bool inside_long_words) {
  WordBreakSets sets = WordBreakSetsOf(text);
  return inside_long_words ? std::move(sets.long_words) : std::move(sets.words);
}

std::vector<std::u32string> BalancedLines(const std::u32string& text, const TextStyle& style, double width,
                                          const fonts::FontSet& fonts) {
  std::vector<std::u32string> out;
  if (text.empty()) return out;
  const std::vector<bool> line_ok = BreakOpportunities(text);
  const std::vector<bool> word_ok = WordBreaks(text);
  Widths w(text, style, fonts);
  auto cuts_where = [&](bool words) {
    std::vector<size_t> cuts{0};
    for (size_t i = 1; i < text.size(); ++i)
      if (line_ok[i] && (!words || word_ok[i])) cuts.push_back(i);
    cuts.push_back(text.size());
    return cuts;
  };
  std::vector<size_t> cuts = cuts_where(true);
  Balancer words(cuts, w, width, style.size);
  std::vector<size_t> greedy = words.Greedy();
  std::vector<size_t> chosen;
  if (words.Fits(greedy)) {
    chosen = words.Best(greedy);
  } else {
    // A word wider than the line: the line rules alone decide where it breaks.
    cuts = cuts_where(false);
    Balancer lines(cuts, w, width, style.size);
    chosen = lines.Best(lines.Greedy());
  }
  for (size_t i = 1; i < chosen.size(); ++i) {
    size_t a = cuts[chosen[i - 1]], b = cuts[chosen[i]];
    while (a < b && text[a] == ' ') ++a;  // a space where the line breaks belongs to neither line
    while (b > a && text[b - 1] == ' ') --b;
    if (a < b) out.push_back(text.substr(a, b - a));
  }
  return out;
}

}  // namespace zhiping::layout
