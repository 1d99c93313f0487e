#include "fonts/font_face.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/error.h"
#include "fonts/truetype.h"

namespace zhiping::fonts {

FontFace::FontFace(const PreparedFont& prepared) : prepared_(prepared), bmp_glyphs_(65536, 0) {
  // Mapped, not read: the glyphs are copied from the mapping when a document embeds them, and the tables read
  // here (cmap, hmtx, head, hhea, name) are the only pages a start touches — reading every face whole was most of
  // a one-document command's start.
  int fd = ::open(prepared.ttf_path.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat st;
  if (fd < 0 || ::fstat(fd, &st) != 0) {
    if (fd >= 0) ::close(fd);
    throw Error(ErrorKind::kFont, "cannot open prepared font " + prepared.ttf_path);
  }
  void* m = st.st_size > 0 ? ::mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_SHARED, fd, 0)
                           : MAP_FAILED;
  ::close(fd);
  if (m == MAP_FAILED) throw Error(ErrorKind::kFont, "cannot map prepared font " + prepared.ttf_path);
  data_ = static_cast<const char*>(m);
  size_ = static_cast<size_t>(st.st_size);
  try {
    TrueTypeFace face(std::string_view(data_, size_), 0, prepared.source.Describe());
    for (const auto& [cp, gid] : face.unicode_map())
      if (cp < 0x10000) bmp_glyphs_[cp] = gid;
    advances_ = face.advances();
    units_per_em_ = face.units_per_em();
    ascent_ = face.ascender() / units_per_em_;
    descent_ = face.descender() / units_per_em_;
    for (int i = 0; i < 4; ++i) bbox_[i] = face.bbox()[i] / units_per_em_;
    family_ = face.Name(1);
    postscript_name_ = face.Name(6);
  } catch (...) {
    ::munmap(const_cast<char*>(data_), size_);  // the destructor does not run for a constructor that throws
    data_ = nullptr;
    throw;
  }
}

FontFace::~FontFace() {
  if (data_) ::munmap(const_cast<char*>(data_), size_);
}

uint16_t FontFace::GlyphFor(char32_t cp) const {
  if (cp >= 0xE000 && cp <= 0xF8FF) return 0;  // private-use input is never text we can vouch for
  char32_t code = PdfCode(cp);
  return code < 0x10000 ? bmp_glyphs_[code] : 0;
}

char32_t FontFace::PdfCode(char32_t cp) const {
  if (cp < 0x10000) return cp;
  auto it = prepared_.aliases.find(cp);
  return it == prepared_.aliases.end() ? cp : it->second;
}

double FontFace::Advance(char32_t cp) const {
  uint16_t g = GlyphFor(cp);
  if (g >= advances_.size()) return 1.0;
  return advances_[g] / units_per_em_;
}

}  // namespace zhiping::fonts
