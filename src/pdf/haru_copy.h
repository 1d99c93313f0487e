// pdf/haru_copy.h — libharu's byte copies made with memcpy.
//
// Why: libharu 2.3 copies every byte it writes through HPDF_MemCpy, a loop that moves one byte at a time, three
// times over for each stream (into the stream, into the saved document, out to the caller). For a letter that is
// ~150 KB a document and the largest single item in callgrind's count of a render (9.6% of its instructions).
// libharu calls HPDF_MemCpy through its PLT, so haru_copy.cpp defines it in the executable, where the dynamic linker
// prefers it for libharu's own calls too (the same mechanism as common/deflate_level.h). Same contract: copies `n`
// bytes (the ranges never overlap in libharu) and returns `out + n`.
//
// Thread-safe (a pure function). Nothing to call: linking pdf/ brings it in (HaruDocument's constructor refers to
// HaruCopiesWithMemcpy, so the object file is always linked with the writer).
#pragma once

namespace zhiping::pdf {

// True when libharu's calls to HPDF_MemCpy reach the definition in haru_copy.cpp (what the dynamic linker resolves
// the name to), false if a build ever stops exporting it (then libharu's own byte loop runs: slower, still right).
bool HaruCopiesWithMemcpy();

}  // namespace zhiping::pdf
