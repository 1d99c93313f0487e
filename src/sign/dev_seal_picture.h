// sign/dev_seal_picture.h — the development seal: a red round seal marked "样章" (specimen), drawn as a PNG with
// transparency, for documents signed with the development identity (PAdES here, the SM2 development seal of the
// OFD stage after it). It has nothing of PDF in it: a picture in, PNG bytes out.
//
// The picture: a red ring, a five-pointed star, "样章" large and "开发用 非正式" (for development, not official)
// below it, the glyphs' outlines taken from `face` (fonts/glyph_outline.h) and filled with the non-zero rule,
// anti-aliased (4×4 samples a pixel); everything else transparent. The ink is a little translucent, like a stamp,
// so text under it still reads. Pure and deterministic: the same face and size give the same bytes. Thread-safe.
// Throws zhiping::Error kFont when a character is missing from `face` (the caller picks a CJK face that has them).
#pragma once

#include <string>

namespace zhiping::fonts {
class FontFace;
class FontSet;
}

namespace zhiping::sign {

// The characters the picture draws (a face must have them all).
constexpr const char32_t* kDevelopmentSealText = U"样章开发用非正式";

std::string DrawDevelopmentSealPng(const fonts::FontFace& face, int diameter_px);

// The face to draw it with: the first of the bold-looking roles (黑体, 小标宋, then 宋体) that has every character of
// kDevelopmentSealText; nullptr when none has. The PDF's development seal and the OFD's draw with the same one.
const fonts::FontFace* DevelopmentSealFace(const fonts::FontSet& fonts);

}  // namespace zhiping::sign
