// tests/seal/test_ofd.h — what the seal tests share: a small hand-made OFD package (one A4 page with a line of
// text in a standard font, DeltaX on every glyph), a seal picture made with image/png_encoder.h, and the
// development seal made once per test process.
#pragma once

#include <ctime>
#include <string>

#include "ofd/package.h"
#include "seal/seal_identity.h"

namespace zhiping::seal::testing {

// OFD.xml, Doc_0/Document.xml (page ID 1), Doc_0/PublicRes.xml, Doc_0/Pages/Page_0/Content.xml with `text` (ASCII
// or CJK) at 30 mm, 50 mm; `padding` bytes of XML comment make the content bigger (for timing a realistic size).
ofd::Package MakeTestPackage(const std::string& text = "Hello OFD", size_t padding = 0);

// A red disc on white, `px` × `px`, as PNG.
std::string TestSealPng(int px = 128);

// The development seal in a directory of this process, made on first call; its CA is DevSealCaPath().
const SealIdentity& DevSeal();
std::string DevSealCaPath();
// Another development seal (its own CA, maker and signer), made once in its own folder: a second organ's.
const SealIdentity& SecondSeal();

// A fixed signing time inside the development seal's validity.
std::time_t SealTime();

}  // namespace zhiping::seal::testing
