// layout/document_layout.h — places blocks on GB/T 9704 pages: the 28 × 22 grid, 版头, 主体, 版记, page numbers.
//
// Contract: DocumentSpec (text already bound, no data access) in, LaidOutDocument (positioned glyphs and rules)
// out. Pure computation: no files, no PDF. Cost is linear in the amount of text and the number of table rows.
#pragma once

#include "fonts/font_set.h"
#include "layout/blocks.h"
#include "layout/display_list.h"
#include "layout/geometry.h"

namespace zhiping::layout {

LaidOutDocument LayOutDocument(const DocumentSpec& spec, const fonts::FontSet& fonts,
                               const PageGeometry& geometry = PageGeometry());

}  // namespace zhiping::layout
