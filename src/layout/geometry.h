// layout/geometry.h — the numbers of GB/T 9704-2012 (党政机关公文格式), in PDF points.
// Origin is the bottom-left corner of the page, y grows upwards, as in PDF.
#pragma once

namespace zhiping::layout {

constexpr double kPtPerMm = 72.0 / 25.4;
constexpr double Mm(double mm) { return mm * kPtPerMm; }

// Font sizes by 号 (GB/T 9704 §Units). The old letterpress values (三号 = 15.75) are deliberately not used.
namespace size {
constexpr double k2Hao = 22, kXiao2 = 18, k3Hao = 16, kXiao3 = 15, k4Hao = 14, kXiao4 = 12, k5Hao = 10.5;
}

struct PageGeometry {
  double width = Mm(210), height = Mm(297);
  double top_margin = Mm(37), left_margin = Mm(28);
  double type_width = Mm(156), type_height = Mm(225);
  int chars_per_line = 28, lines_per_page = 22;

  double type_left() const { return left_margin; }
  double type_right() const { return left_margin + type_width; }
  double type_top() const { return height - top_margin; }
  double type_bottom() const { return type_top() - type_height; }
  double char_pitch() const { return type_width / chars_per_line; }   // 15.79 pt: Han text sits on this grid
  double line_pitch() const { return type_height / lines_per_page; }  // 28.99 pt
};

}  // namespace zhiping::layout
