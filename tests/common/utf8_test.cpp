// common/utf8.h: the character classes every text check uses. Their quick answer for CJK ideographs must be the
// one ICU's property tables give (the *ByTables functions), for every code point it covers. And common/
// utf8_sequence.h's IsWellFormedUtf8, the check without decoding, says yes exactly where DecodeUtf8 does.
#include "common/utf8.h"

#include <gtest/gtest.h>

#include <string>

#include "common/utf8_sequence.h"

namespace zhiping {
namespace {

TEST(common_Utf8, TheIdeographBlocksAreClassedAsIcuClassesThem) {
  size_t checked = 0;
  for (char32_t cp = 0x3000; cp <= 0xA000; ++cp) {  // the quick range U+3400–U+9FFF and its edges
    ASSERT_EQ(IsInvisible(cp), IsInvisibleByTables(cp)) << std::hex << cp;
    ASSERT_EQ(IsCombiningMark(cp), IsCombiningMarkByTables(cp)) << std::hex << cp;
    ASSERT_EQ(IsBlankCharacter(cp), IsBlankCharacterByTables(cp)) << std::hex << cp;
    ++checked;
  }
  EXPECT_EQ(checked, 0x7001u);
  // Edges just outside: the ideographic space is blank, a combining kana mark is a mark.
  EXPECT_TRUE(IsBlankCharacter(U'\u3000'));
  EXPECT_TRUE(IsCombiningMark(U'\u3099'));
  EXPECT_FALSE(IsInvisible(U'张'));
}

// Every one- and two-byte sequence; after the leads E0–F4 every second byte, with third (and fourth) bytes from a
// spread around the continuation range's edges. Each at every offset of the eight-byte ASCII stride, and with a
// tail after it.
TEST(common_Utf8, IsWellFormedUtf8AgreesWithDecodeUtf8) {
  auto agree = [](const std::string& bytes) {
    for (size_t pad = 0; pad < 9; ++pad) {
      for (const std::string& text : {std::string(pad, 'a') + bytes, std::string(pad, 'a') + bytes + "tail-张三x"}) {
        std::u32string ignored;
        ASSERT_EQ(IsWellFormedUtf8(text), DecodeUtf8(text, &ignored)) << ::testing::PrintToString(text);
      }
    }
  };
  size_t valid = 0;
  for (int a = 0; a < 256; ++a) {
    agree(std::string(1, static_cast<char>(a)));
    for (int b = 0; b < 256; ++b) {
      const std::string two{static_cast<char>(a), static_cast<char>(b)};
      if (a >= 0x80) agree(two);  // ASCII pairs are the one-byte case twice
      if (a < 0xE0 || a > 0xF4) continue;
      for (int c : {0x00, 0x41, 0x7F, 0x80, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF}) {
        const std::string three = two + static_cast<char>(c);
        agree(three);
        std::u32string ignored;
        valid += DecodeUtf8(three, &ignored);
        if (a >= 0xF0) {
          for (int d : {0x00, 0x80, 0xBF, 0xC0}) agree(three + static_cast<char>(d));
        }
      }
    }
  }
  EXPECT_GT(valid, 0u);  // some three-byte texts are characters, so both answers were exercised
  EXPECT_TRUE(IsWellFormedUtf8(""));
  EXPECT_TRUE(IsWellFormedUtf8("ID 330102198001011234 吉𠮷 ok"));
  EXPECT_FALSE(IsWellFormedUtf8("0123456789abcde\xed\xa0\x80"));  // a surrogate past the ASCII stride
}

}  // namespace
}  // namespace zhiping
