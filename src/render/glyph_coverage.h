// render/glyph_coverage.h — every text of a request must be drawable with the configured fonts.
//
// A character that no font has is the user's problem, named with the member it came from (JSON Pointer), never a
// box or a gap on the page. Walks the typed request through model/request_fields.h (the photo's base64 is never
// drawn and is skipped). Thread-safe; the fonts are only read.
#pragma once

#include "common/problem.h"
#include "model/request.h"

namespace zhiping::fonts {
class FontSet;
}

namespace zhiping::render {

// Adds a problem for each text holding a character no role of `fonts` can draw (the first such character of it).
void CheckGlyphCoverage(const model::Request& request, const fonts::FontSet& fonts, Problems* problems);

}  // namespace zhiping::render
