#include "pdf/font_program.h"

#include <zlib.h>

#include <memory>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

#include "common/deflate_level.h"
#include "common/error.h"

namespace zhiping::pdf {

namespace {

// A raw-deflate stream (no zlib header or trailer) that compresses pieces, each ending on a byte boundary and
// referring to nothing before it.
class RawDeflater {
 public:
  explicit RawDeflater(int level) {
    if (deflateInit2(&z_, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
      throw Error(ErrorKind::kInternal, "zlib: cannot start a deflate stream");
  }
  ~RawDeflater() { deflateEnd(&z_); }
  RawDeflater(const RawDeflater&) = delete;
  RawDeflater& operator=(const RawDeflater&) = delete;

  // Appends `size` bytes compressed as a standalone piece to `out`; `last` ends the deflate stream (final block).
  void Piece(const char* data, size_t size, bool last, std::string* out) {
    deflateReset(&z_);  // no back-references into what precedes this piece in the assembled stream
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data));
    z_.avail_in = static_cast<uInt>(size);
    const int flush = last ? Z_FINISH : Z_SYNC_FLUSH;
    for (;;) {
      const size_t at = out->size();
      const size_t room = deflateBound(&z_, static_cast<uLong>(z_.avail_in)) + 64;
      out->resize(at + room);
      z_.next_out = reinterpret_cast<Bytef*>(&(*out)[at]);
      z_.avail_out = static_cast<uInt>(room);
      const int rc = deflate(&z_, flush);
      out->resize(at + room - z_.avail_out);
      if (rc == Z_STREAM_ERROR) throw Error(ErrorKind::kInternal, "zlib: deflate failed");
      if (last ? rc == Z_STREAM_END : (z_.avail_in == 0 && z_.avail_out > 0)) return;
    }
  }

 private:
  z_stream z_{};
};

// Glyph pieces by (font, glyph id), compressed at the best level once: they are made once and read thousands of times.
class GlyphPieces {
 public:
  static GlyphPieces& Shared() {
    static GlyphPieces pieces;
    return pieces;
  }

  std::shared_ptr<const std::string> Get(const std::string& font_key, uint16_t gid, const char* data, size_t size) {
    {
      std::shared_lock<std::shared_mutex> lock(mu_);
      auto f = fonts_.find(font_key);
      if (f != fonts_.end()) {
        auto g = f->second.find(gid);
        if (g != f->second.end()) return g->second;
      }
    }
    auto piece = std::make_shared<std::string>();
    {
      DeflateLevelScope best(9);  // the writer's own (fast) level is in force on this thread: pieces get the best
      RawDeflater deflater(9);
      deflater.Piece(data, size, false, piece.get());
    }
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

std::string DeflateFontProgram(const std::string& font_key, const fonts::FontSubset& subset, int level) {
  const std::string& ttf = subset.ttf;
  std::string out = "\x78\x01";  // zlib header: deflate, 32 KiB window, no dictionary (checksum-valid: 0x7801 % 31 == 0)
  RawDeflater fresh(level);
  size_t at = 0;  // bytes of `ttf` already in `out`
  for (const auto& glyph : subset.glyphs) {
    if (glyph.renumbered || glyph.length == 0 || glyph.offset < at || glyph.offset + glyph.length > ttf.size())
      continue;  // compressed with the bytes around it
    if (glyph.offset > at) fresh.Piece(ttf.data() + at, glyph.offset - at, false, &out);
    out += *GlyphPieces::Shared().Get(font_key, glyph.original, ttf.data() + glyph.offset, glyph.length);
    at = glyph.offset + glyph.length;
  }
  fresh.Piece(ttf.data() + at, ttf.size() - at, true, &out);
  const uLong adler = adler32(adler32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(ttf.data()),
                              static_cast<uInt>(ttf.size()));
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((adler >> shift) & 0xFF));
  return out;
}

size_t CachedGlyphBytes() { return GlyphPieces::Shared().bytes(); }

}  // namespace zhiping::pdf
