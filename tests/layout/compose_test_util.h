// tests/layout/compose_test_util.h — shared by the layout tests: sample Han text, the body paragraph spec on the
// 28-character grid, and a line's text for messages.
#pragma once

#include <string>
#include <vector>

#include "common/utf8.h"
#include "layout/geometry.h"
#include "layout/paragraph.h"

namespace zhiping::composetest {

using namespace layout;

inline const std::u32string kHan =
    U"的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定"
    U"行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些"
    U"然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公";

inline std::u32string Han(size_t n, size_t start = 0) {
  std::u32string s;
  for (size_t i = 0; i < n; ++i) s.push_back(kHan[(start + i * 7) % kHan.size()]);
  return s;
}

inline const double kPitch = Mm(156) / 28;

inline ParagraphSpec BodySpec(const std::u32string& text, double indent_chars = 2) {
  ParagraphSpec ps;
  ps.text = text;
  ps.style.role = fonts::Role::kFangSong;
  ps.style.size = 16;
  ps.style.pitch = kPitch;
  ps.width = 28 * kPitch;
  ps.first_indent = indent_chars * kPitch;
  return ps;
}

inline std::u32string LineText(const ComposedLine& l) {
  std::u32string s;
  for (const auto& g : l.glyphs) s.push_back(g.cp);
  return s;
}

inline std::string Dump(const std::vector<ComposedLine>& lines) {
  std::string s;
  for (const auto& l : lines) s += EncodeUtf8(LineText(l)) + "\n";
  return s;
}

}  // namespace zhiping::composetest
