// fonts/big_endian.h — reading and writing the big-endian integers TrueType tables are made of.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "common/error.h"

namespace zhiping::fonts {

inline void Put16(std::string* s, uint16_t v) {
  s->push_back(static_cast<char>(v >> 8));
  s->push_back(static_cast<char>(v & 0xFF));
}
inline void Put32(std::string* s, uint32_t v) {
  Put16(s, static_cast<uint16_t>(v >> 16));
  Put16(s, static_cast<uint16_t>(v & 0xFFFF));
}

// Bounds-checked reads from a font in memory: reading past `n` throws kFont "<what>: read past the end of the font".
struct BigEndianReader {
  const unsigned char* p;
  size_t n;
  const char* what;
  uint8_t U8(size_t off) const {
    if (off + 1 > n) Past();
    return p[off];
  }
  uint16_t U16(size_t off) const {
    if (off + 2 > n) Past();
    return static_cast<uint16_t>((p[off] << 8) | p[off + 1]);
  }
  int16_t S16(size_t off) const { return static_cast<int16_t>(U16(off)); }
  uint32_t U32(size_t off) const { return (static_cast<uint32_t>(U16(off)) << 16) | U16(off + 2); }
  [[noreturn]] void Past() const { throw Error(ErrorKind::kFont, std::string(what) + ": read past the end of the font"); }
};

}  // namespace zhiping::fonts
