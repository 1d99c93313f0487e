// pdf/deflater.h — zlib compression with one reusable stream, for the PDF writer's streams.
//
// Why: zlib allocates and zeroes ~270 KB of state at every deflateInit; libharu started a new one for every stream
// it compressed (each page's content, each font's ToUnicode and CIDToGIDMap), and that setup cost more than
// compressing the few kilobytes of those streams. A Deflater starts zlib once and resets it between streams (a
// reset clears only the 64 KB hash head). Each leased libharu handle (pdf/haru_document_pool.h) carries one, so
// their number is bounded with the handles.
//
// Not thread-safe: one thread at a time (the lease's). Errors: zhiping::Error kInternal if zlib fails.
#pragma once

#include <zlib.h>

#include <cstddef>
#include <string>

namespace zhiping::pdf {

class Deflater {
 public:
  Deflater();
  ~Deflater();
  Deflater(const Deflater&) = delete;
  Deflater& operator=(const Deflater&) = delete;

  // `size` bytes as a complete zlib stream (header, data, Adler-32), at zlib level `level` (1 … 9).
  std::string Zlib(const char* data, size_t size, int level);

  // Appends `size` bytes to `out` as raw deflate blocks that refer to nothing before them and end on a byte
  // boundary (`last`: with the final block). Such pieces may be concatenated into one stream (pdf/font_program.h).
  void Piece(const char* data, size_t size, int level, bool last, std::string* out);

 private:
  z_stream z_{};
  int level_ = -1;
};

// The zlib header for a 32 KiB window, and the big-endian Adler-32 trailer of `size` bytes: what wraps raw pieces.
constexpr char kZlibHeader[] = "\x78\x01";
void AppendAdler32(const char* data, size_t size, std::string* out);

}  // namespace zhiping::pdf
