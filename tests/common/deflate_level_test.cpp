// DeflateLevelScope: a library that asks zlib for level 6 gets the scope's level on this thread, and only there.
#include "common/deflate_level.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <string>
#include <thread>

namespace zhiping {
namespace {

// Compresses `text` the way libharu and minizip do: deflateInit/deflateInit2 with the level they chose.
std::string Deflate(const std::string& text, int level, bool init2) {
  z_stream s{};
  int rc = init2 ? deflateInit2(&s, level, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) : deflateInit(&s, level);
  EXPECT_EQ(rc, Z_OK);
  std::string out(deflateBound(&s, text.size()), '\0');
  s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  s.avail_in = static_cast<uInt>(text.size());
  s.next_out = reinterpret_cast<Bytef*>(&out[0]);
  s.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&s, Z_FINISH), Z_STREAM_END);
  out.resize(s.total_out);
  deflateEnd(&s);
  return out;
}

std::string SampleXml() {
  std::string xml;
  for (int i = 0; i < 20000; ++i)
    xml += "<row r=\"" + std::to_string(i) + "\"><c t=\"s\"><v>" + std::to_string(i * 7919 % 1000) + "</v></c></row>";
  return xml;
}

TEST(DeflateLevelScope, ChangesTheLevelZlibCallersAskForOnlyInsideTheScope) {
  const std::string xml = SampleXml();
  for (bool init2 : {false, true}) {
    SCOPED_TRACE(init2 ? "deflateInit2" : "deflateInit");
    const std::string level1 = Deflate(xml, 1, init2);
    const std::string level6 = Deflate(xml, 6, init2);
    ASSERT_NE(level1, level6);  // otherwise the test could not tell the levels apart
    EXPECT_EQ(DeflateLevelScope::Current(), 0);
    {
      DeflateLevelScope scope(1);
      EXPECT_EQ(DeflateLevelScope::Current(), 1);
      EXPECT_EQ(Deflate(xml, 6, init2), level1);
      {
        DeflateLevelScope inner(6);
        EXPECT_EQ(Deflate(xml, 1, init2), level6);
      }
      EXPECT_EQ(Deflate(xml, 6, init2), level1);
      // Another thread keeps the level it asks for.
      std::string other;
      std::thread([&] { other = Deflate(xml, 6, init2); }).join();
      EXPECT_EQ(other, level6);
    }
    EXPECT_EQ(Deflate(xml, 6, init2), level6);
  }
}

TEST(DeflateLevelScope, ClampsToOneThroughNine) {
  { DeflateLevelScope s(0); EXPECT_EQ(DeflateLevelScope::Current(), 1); }
  { DeflateLevelScope s(42); EXPECT_EQ(DeflateLevelScope::Current(), 9); }
  EXPECT_EQ(DeflateLevelScope::Current(), 0);
}

}  // namespace
}  // namespace zhiping
