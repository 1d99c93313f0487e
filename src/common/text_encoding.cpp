#include "common/text_encoding.h"

#include <iconv.h>

#include <algorithm>
#include <string>

namespace zhiping {

bool LooksLikeGb18030(std::string_view text, size_t bad_offset) {
  if (bad_offset >= text.size()) return false;
  constexpr size_t kWindow = 4096;
  size_t begin = bad_offset > kWindow ? bad_offset - kWindow : 0;
  // Start at an ASCII byte (or at the bad byte itself, where the UTF-8 decoder found a lead byte).
  while (begin < bad_offset && static_cast<unsigned char>(text[begin]) >= 0x80) ++begin;
  size_t end = std::min(text.size(), bad_offset + kWindow);
  while (end > bad_offset + 1 && static_cast<unsigned char>(text[end - 1]) >= 0x80) --end;  // end at ASCII
  iconv_t cd = iconv_open("UTF-8", "GB18030");
  if (cd == reinterpret_cast<iconv_t>(-1)) return false;
  std::string in(text.substr(begin, end - begin));
  std::string out(in.size() * 4 + 16, '\0');
  char* inp = in.data();
  size_t inleft = in.size();
  char* outp = out.data();
  size_t outleft = out.size();
  const size_t r = iconv(cd, &inp, &inleft, &outp, &outleft);
  iconv_close(cd);
  return r != static_cast<size_t>(-1) && inleft == 0;
}

}  // namespace zhiping
