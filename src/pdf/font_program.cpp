#include "pdf/font_program.h"

#include <memory>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

#include "common/error.h"

namespace zhiping::pdf {

namespace {

// Glyph pieces by (font, glyph id), compressed at the best level once: they are made once and read thousands of times.
class GlyphPieces {
 public:
  static GlyphPieces& Shared() {
    static GlyphPieces pieces;
    return pieces;
  }

  std::shared_ptr<const std::string> Get(const std::string& font_key, uint16_t gid, const char* data, size_t size,
                                         Deflater* deflater) {
    {
      std::shared_lock<std::shared_mutex> lock(mu_);
      auto f = fonts_.find(font_key);
      if (f != fonts_.end()) {
        auto g = f->second.find(gid);
        if (g != f->second.end()) return g->second;
      }
    }
    auto piece = std::make_shared<std::string>();
    deflater->Piece(data, size, 9, false, piece.get());
    std::unique_lock<std::shared_mutex> lock(mu_);
    if (bytes_ + piece->size() > kMaxCachedBytes) return piece;  // bounded: used once, not kept
    auto [it, added] = fonts_[font_key].emplace(gid, piece);
    if (added) bytes_ += piece->size();
    return it->second;
  }

  size_t bytes() const {
    std::shared_lock<std::shared_mutex> lock(mu_);
    return bytes_;
  }

 private:
  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, std::unordered_map<uint16_t, std::shared_ptr<const std::string>>> fonts_;
  size_t bytes_ = 0;
};

}  // namespace

std::string DeflateFontProgram(const std::string& font_key, const fonts::FontSubset& subset, int level,
                               Deflater* deflater) {
  const std::string& ttf = subset.ttf;
  std::string out(kZlibHeader, 2);
  size_t at = 0;  // bytes of `ttf` already in `out`
  for (const auto& glyph : subset.glyphs) {
    if (glyph.renumbered || glyph.length == 0 || glyph.offset < at || glyph.offset + glyph.length > ttf.size())
      continue;  // compressed with the bytes around it
    if (glyph.offset > at) deflater->Piece(ttf.data() + at, glyph.offset - at, level, false, &out);
    out += *GlyphPieces::Shared().Get(font_key, glyph.original, ttf.data() + glyph.offset, glyph.length, deflater);
    at = glyph.offset + glyph.length;
  }
  deflater->Piece(ttf.data() + at, ttf.size() - at, level, true, &out);
  AppendAdler32(ttf.data(), ttf.size(), &out);
  return out;
}

size_t CachedGlyphBytes() { return GlyphPieces::Shared().bytes(); }

}  // namespace zhiping::pdf
