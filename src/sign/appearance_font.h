// sign/appearance_font.h — the visible signature's font, made once for each face and set of characters.
//
// Every letter of a run draws the same few lines on its signature ("数字签名：…", "时间：…"), so the subset font,
// CIDToGIDMap, widths and ToUnicode map are the same from one letter to the next. Making them (subsetting, then
// PoDoFo compressing ~20 KB) was 11% of a bulk run's CPU (perf, issue 16). They are made once, compressed, and
// kept in a small process-wide cache; a document only copies the bytes in.
//
// Thread-safe. Errors: the subsetter's kFont and zlib's kInternal pass through; nothing is cached then.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "pdf/cid_font.h"

namespace zhiping::fonts {
class FontFace;
}

namespace zhiping::sign {

struct AppearanceFont {
  std::string name;                // the subset's name, "ABCDEF+…" (pdf::SubsetFontName)
  std::string font_program;        // the subset TrueType as a zlib stream (/FontFile2, /Filter /FlateDecode)
  size_t font_program_length = 0;  // its size uncompressed (/Length1)
  std::string cid_to_gid;          // zlib stream
  std::string to_unicode;          // zlib stream of the ToUnicode CMap
  std::map<char32_t, int> widths;  // code -> width in 1/1000 em (/W)
};

// Entries kept at most; when full, the least recently used goes. A run's signatures differ only in the digits of
// their time, so a few dozen entries serve them all.
constexpr size_t kAppearanceFontsKept = 64;

// The font for `used` (pdf::HexCodes's record of the codes drawn) in `face`: from the cache, or made and kept.
std::shared_ptr<const AppearanceFont> AppearanceFontFor(const fonts::FontFace& face, const pdf::UsedCodes& used);

// How many were made (not found in the cache) in this process, for tests.
size_t AppearanceFontsMade();

}  // namespace zhiping::sign
