#include "layout/text_prep.h"

#include <vector>

#include "layout/line_breaker.h"

namespace zhiping::layout {

namespace {

char32_t FullWidth(char32_t c) {
  switch (c) {
    case '(': return U'（';
    case ')': return U'）';
    case '[': return U'［';
    case ']': return U'］';
    case '{': return U'｛';
    case '}': return U'｝';
    default: return 0;
  }
}
bool IsOpen(char32_t c) { return c == '(' || c == '[' || c == '{'; }
char32_t CloserOf(char32_t c) { return c == '(' ? ')' : c == '[' ? ']' : '}'; }

// The nearest character from `i` in direction `step` that is not an ASCII space; 0 at the ends.
char32_t Neighbour(const std::u32string& t, size_t i, int step) {
  for (long k = static_cast<long>(i) + step; k >= 0 && k < static_cast<long>(t.size()); k += step)
    if (t[k] != ' ') return t[k];
  return 0;
}
bool TouchesWide(const std::u32string& t, size_t i) {
  char32_t a = Neighbour(t, i, -1), b = Neighbour(t, i, +1);
  return (a && IsWide(a)) || (b && IsWide(b));
}

}  // namespace

std::u32string PrepareText(const std::u32string& in) {
  std::u32string t;
  t.reserve(in.size());
  bool any_bracket = false;
  for (size_t i = 0; i < in.size(); ++i) {
    char32_t c = in[i];
    if (c == '\r') {
      t.push_back('\n');
      if (i + 1 < in.size() && in[i + 1] == '\n') ++i;
      continue;
    }
    if (FullWidth(c)) any_bracket = true;
    t.push_back(c);
  }
  if (!any_bracket) return t;
  // Pair the brackets (a stack per kind of bracket is not needed: a closer pairs with the nearest open one of its kind).
  std::vector<bool> convert(t.size(), false);
  std::vector<size_t> open;
  std::vector<bool> paired(t.size(), false);
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '\n') open.clear();  // brackets do not pair across paragraphs
    if (IsOpen(t[i])) {
      open.push_back(i);
    } else if (t[i] == ')' || t[i] == ']' || t[i] == '}') {
      for (size_t k = open.size(); k-- > 0;) {
        if (CloserOf(t[open[k]]) != t[i]) continue;
        const size_t o = open[k];
        open.resize(k);
        paired[o] = paired[i] = true;
        if (TouchesWide(t, o) || TouchesWide(t, i)) convert[o] = convert[i] = true;
        break;
      }
    }
  }
  for (size_t i = 0; i < t.size(); ++i)
    if (FullWidth(t[i]) && !paired[i] && TouchesWide(t, i)) convert[i] = true;
  std::u32string out;
  out.reserve(t.size());
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i] == ' ') {
      // Spaces next to a converted bracket go.
      size_t a = i, b = i;
      while (a > 0 && t[a - 1] == ' ') --a;
      while (b + 1 < t.size() && t[b + 1] == ' ') ++b;
      if ((a > 0 && convert[a - 1]) || (b + 1 < t.size() && convert[b + 1])) continue;
      out.push_back(' ');
      continue;
    }
    out.push_back(convert[i] ? FullWidth(t[i]) : t[i]);
  }
  return out;
}

}  // namespace zhiping::layout
