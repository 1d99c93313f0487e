// tests/support/paths.h — where the tests find the repository and where they may write.
//
// SourceDir(): the repository (compiled in as ZHIPING_SOURCE_DIR). TestTmpRoot(): $ZHIPING_TEST_TMP (CTest sets it
// to <build>/test-tmp), else <build>/test-tmp; created on first use. Thread-safe.
#pragma once

#include <string>

namespace zhiping::testing {

std::string SourceDir();
std::string BinaryDir();
std::string TestTmpRoot();
// The `zhiping` executable the build puts at <build>/zhiping.
std::string ZhipingBinary();
// TestTmpRoot()/font-cache: prepared fonts shared by every test process (fonts are prepared under a temp name and
// renamed, so processes may race).
std::string SharedFontCache();

}  // namespace zhiping::testing
