#include "sign/appearance_font.h"

#include <atomic>

#include "common/lru_cache.h"
#include "fonts/font_face.h"
#include "pdf/deflater.h"

namespace zhiping::sign {
namespace {

// zlib's level for these few kilobytes, made once per entry: the smallest output is worth the time.
constexpr int kLevel = 9;

std::atomic<size_t> made{0};

std::string KeyOf(const fonts::FontFace& face, const pdf::UsedCodes& used) {
  std::string key = face.digest();
  key += '\0';
  for (const auto& [code, real] : used) {
    key.append(reinterpret_cast<const char*>(&code), sizeof code);
    key.append(reinterpret_cast<const char*>(&real), sizeof real);
  }
  return key;
}

std::shared_ptr<const AppearanceFont> Make(const fonts::FontFace& face, const pdf::UsedCodes& used) {
  const pdf::EmbeddedGlyphs embedded = pdf::EmbedGlyphs(face, used);
  auto font = std::make_shared<AppearanceFont>();
  pdf::Deflater deflater;
  font->name = pdf::SubsetFontName("ZPSIGN", face);
  font->font_program = deflater.Zlib(embedded.subset.ttf.data(), embedded.subset.ttf.size(), kLevel);
  font->font_program_length = embedded.subset.ttf.size();
  font->cid_to_gid = deflater.Zlib(embedded.cid_to_gid.data(), embedded.cid_to_gid.size(), kLevel);
  const std::string cmap = pdf::ToUnicodeCMap(used);
  font->to_unicode = deflater.Zlib(cmap.data(), cmap.size(), kLevel);
  font->widths = pdf::Widths(face, used);
  ++made;
  return font;
}

LruCache<AppearanceFont>& TheCache() {
  static auto* cache = new LruCache<AppearanceFont>(kAppearanceFontsKept);  // never destroyed, like the fonts
  return *cache;
}

}  // namespace

std::shared_ptr<const AppearanceFont> AppearanceFontFor(const fonts::FontFace& face, const pdf::UsedCodes& used) {
  const std::string key = KeyOf(face, used);
  if (auto found = TheCache().Find(key)) return found;
  // Made outside the lock: two threads may both make a new entry once; the second is dropped.
  std::shared_ptr<const AppearanceFont> font = Make(face, used);
  TheCache().Keep(key, font);
  return font;
}

size_t AppearanceFontsMade() { return made.load(); }

}  // namespace zhiping::sign
