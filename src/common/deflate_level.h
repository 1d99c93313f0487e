// common/deflate_level.h — the zlib compression level for libraries that offer no setting.
//
// libharu 2.3 opens every compressed stream with deflateInit(Z_DEFAULT_COMPRESSION) and libxlsxwriter 1.1.4 zips
// every part through minizip with Z_DEFAULT_COMPRESSION (level 6). Both are measured hot spots (a letter's streams,
// the 57 MB sheet XML of a 100,000-row roster), so deflate_level.cpp defines zlib's two deflate entry points in the
// executable, where the dynamic linker prefers them for every caller, and changes the level only while the calling
// thread holds a DeflateLevelScope. Everyone else (PoDoFo, Poco, other threads) keeps the level it asked for.
#pragma once

namespace zhiping {

class DeflateLevelScope {
 public:
  // `level` is clamped to 1..9. Scopes nest; the innermost wins until it ends.
  explicit DeflateLevelScope(int level);
  ~DeflateLevelScope();
  DeflateLevelScope(const DeflateLevelScope&) = delete;
  DeflateLevelScope& operator=(const DeflateLevelScope&) = delete;

  // The level in force on this thread, or 0 when no scope is open (callers keep their own).
  static int Current();

  // How many times, in this process and on any thread, zlib's deflateInit_/deflateInit2_ were entered through the
  // definitions in deflate_level.cpp. For tests: the count rising across a libharu or libxlsxwriter write proves
  // the dynamic linker really sends those libraries' calls here (tests/common/deflate_level_test.cpp).
  static unsigned long InterposedCalls();

 private:
  int previous_;
};

}  // namespace zhiping
