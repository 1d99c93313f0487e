// common/utf8.h: the character classes every text check uses. Their quick answer for CJK ideographs must be the
// one ICU's property tables give (the *ByTables functions), for every code point it covers.
#include "common/utf8.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace zhiping
