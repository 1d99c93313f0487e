// fonts/big_endian.h — writing the big-endian integers TrueType tables are made of.
#pragma once

#include <cstdint>
#include <string>

namespace zhiping::fonts {

inline void Put16(std::string* s, uint16_t v) {
  s->push_back(static_cast<char>(v >> 8));
  s->push_back(static_cast<char>(v & 0xFF));
}
inline void Put32(std::string* s, uint32_t v) {
  Put16(s, static_cast<uint16_t>(v >> 16));
  Put16(s, static_cast<uint16_t>(v & 0xFFFF));
}

}  // namespace zhiping::fonts
