// pdf/haru_copy.h: libharu's copies go through our memcpy, with libharu's contract, and documents stay the same.
#include "pdf/haru_copy.h"

#include <gtest/gtest.h>
#include <hpdf.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <hpdf_utils.h>

#include <string>
#include <vector>

#include "pdf/haru_document_pool.h"

namespace zhiping::pdf {
namespace {

TEST(HaruCopy, TheDynamicLinkerSendsLibharusCallsToOurs) { EXPECT_TRUE(HaruCopiesWithMemcpy()); }

TEST(HaruCopy, CopiesNBytesAndReturnsTheByteAfterThem) {
  std::vector<HPDF_BYTE> in(1000), out(1000, 0xEE);
  for (size_t i = 0; i < in.size(); ++i) in[i] = static_cast<HPDF_BYTE>(i * 7);
  HPDF_BYTE* end = HPDF_MemCpy(out.data() + 3, in.data(), 997);
  EXPECT_EQ(end, out.data() + 1000);
  EXPECT_EQ(out[0], 0xEE);
  for (size_t i = 0; i < 997; ++i) ASSERT_EQ(out[3 + i], in[i]) << i;
  EXPECT_EQ(HPDF_MemCpy(out.data(), in.data(), 0), out.data());  // nothing copied, nothing touched
  EXPECT_EQ(out[0], 0xEE);
}

// libharu's own streams (written in pieces, read back in other pieces) come out byte for byte as they went in.
TEST(HaruCopy, ALibharuMemoryStreamReadsBackWhatWasWritten) {
  HaruDocument document;
  HPDF_Doc doc = document.doc();
  ASSERT_EQ(HPDF_NewDoc(doc), HPDF_OK);
  HPDF_Page page = HPDF_AddPage(doc);
  ASSERT_NE(page, nullptr);
  std::string text;
  for (int i = 0; i < 20000; ++i) text += static_cast<char>('a' + i % 26);
  // Content written in odd sizes crosses libharu's 4,096-byte stream buffers.
  HPDF_Stream contents = static_cast<HPDF_PageAttr>(page->attr)->contents->stream;
  for (size_t at = 0; at < text.size(); at += 777) {
    const std::string part = "% " + text.substr(at, 777) + "\n";
    ASSERT_EQ(HPDF_Stream_Write(contents, reinterpret_cast<const HPDF_BYTE*>(part.data()),
                                static_cast<HPDF_UINT>(part.size())), HPDF_OK);
  }
  HPDF_SetCompressionMode(doc, HPDF_COMP_NONE);
  ASSERT_EQ(HPDF_SaveToStream(doc), HPDF_OK);
  std::string pdf;
  HPDF_BYTE buffer[1000];
  for (;;) {
    HPDF_UINT32 size = sizeof(buffer);
    const HPDF_STATUS status = HPDF_ReadFromStream(doc, buffer, &size);
    pdf.append(reinterpret_cast<const char*>(buffer), size);
    if (status == HPDF_STREAM_EOF || size == 0) break;
    ASSERT_EQ(status, HPDF_OK);
  }
  document.Clear();
  EXPECT_EQ(pdf.rfind("%PDF-", 0), 0u);
  for (size_t at = 0; at < text.size(); at += 777)
    ASSERT_NE(pdf.find("% " + text.substr(at, 777) + "\n"), std::string::npos) << at;
}

}  // namespace
}  // namespace zhiping::pdf
