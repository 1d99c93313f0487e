// common/utf8.h: the character classes every text check uses. Their quick answer for CJK ideographs must be the
// one ICU's property tables give, for every code point it covers.
#include "common/utf8.h"

#include <gtest/gtest.h>
#include <unicode/uchar.h>

namespace zhiping {
namespace {

bool IcuInvisible(char32_t cp) {
  switch (u_charType(static_cast<UChar32>(cp))) {
    case U_CONTROL_CHAR:
    case U_FORMAT_CHAR:
    case U_LINE_SEPARATOR:
    case U_PARAGRAPH_SEPARATOR:
      return true;
    default:
      return u_hasBinaryProperty(static_cast<UChar32>(cp), UCHAR_DEFAULT_IGNORABLE_CODE_POINT);
  }
}

bool IcuCombining(char32_t cp) {
  const int8_t type = u_charType(static_cast<UChar32>(cp));
  return type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK || type == U_ENCLOSING_MARK;
}

TEST(common_Utf8, TheIdeographBlocksAreClassedAsIcuClassesThem) {
  size_t checked = 0;
  for (char32_t cp = 0x3000; cp <= 0xA000; ++cp) {  // the quick range U+3400–U+9FFF and its edges
    ASSERT_EQ(IsInvisible(cp), IcuInvisible(cp)) << std::hex << cp;
    ASSERT_EQ(IsCombiningMark(cp), IcuCombining(cp)) << std::hex << cp;
    ASSERT_EQ(IsBlankCharacter(cp), static_cast<bool>(u_isUWhiteSpace(static_cast<UChar32>(cp)))) << std::hex << cp;
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
