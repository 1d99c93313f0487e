#include "pdf/deflater.h"

#include <algorithm>

#include "common/error.h"

namespace zhiping::pdf {

Deflater::Deflater() {
  // Raw deflate (negative window bits): the zlib wrapper is written by Zlib(), so pieces can be joined.
  if (deflateInit2(&z_, 1, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw Error(ErrorKind::kInternal, "zlib: cannot start a deflate stream");
  // level_ stays unknown: a DeflateLevelScope open on this thread may have changed the level deflateInit2 set
  // (common/deflate_level.h), so the first Piece sets it with deflateParams.
}

Deflater::~Deflater() { deflateEnd(&z_); }

void Deflater::Piece(const char* data, size_t size, int level, bool last, std::string* out) {
  deflateReset(&z_);  // no back-references into what precedes this piece in an assembled stream
  level = std::max(1, std::min(9, level));
  if (level != level_) {
    if (deflateParams(&z_, level, Z_DEFAULT_STRATEGY) != Z_OK) throw Error(ErrorKind::kInternal, "zlib: level");
    level_ = level;
  }
  z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data));
  z_.avail_in = static_cast<uInt>(size);
  const int flush = last ? Z_FINISH : Z_SYNC_FLUSH;
  for (;;) {
    const size_t at = out->size();
    const size_t room = deflateBound(&z_, static_cast<uLong>(z_.avail_in)) + 64;
    out->resize(at + room);
    z_.next_out = reinterpret_cast<Bytef*>(&(*out)[at]);
    z_.avail_out = static_cast<uInt>(room);
    const int rc = deflate(&z_, flush);
    out->resize(at + room - z_.avail_out);
    if (rc == Z_STREAM_ERROR) throw Error(ErrorKind::kInternal, "zlib: deflate failed");
    if (last ? rc == Z_STREAM_END : (z_.avail_in == 0 && z_.avail_out > 0)) return;
  }
}

std::string Deflater::Zlib(const char* data, size_t size, int level) {
  std::string out(kZlibHeader, 2);
  Piece(data, size, level, true, &out);
  AppendAdler32(data, size, &out);
  return out;
}

void AppendAdler32(const char* data, size_t size, std::string* out) {
  const uLong adler = adler32(adler32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(data), static_cast<uInt>(size));
  for (int shift = 24; shift >= 0; shift -= 8) out->push_back(static_cast<char>((adler >> shift) & 0xFF));
}

}  // namespace zhiping::pdf
