// ofd/package.h — an OFD package (GB/T 33190-2016 §7: a ZIP of XML parts and resources) as files in memory, and
// the ZIP on either side of it.
//
// Why a stage of its own: the OFD writer (ofd/ofd_writer.h) builds a package, the electronic seal (src/seal) adds its
// parts and hashes every file, the verifier reads a package someone else may have made. All three see the same
// `Package`; only this file knows it is a ZIP.
//
// Paths are the package's own: "OFD.xml", "Doc_0/Pages/Page_0/Content.xml" — no leading '/', '/'-separated. OFD
// XML refers to them either absolutely ("/Doc_0/…", from the package root) or relative to the referring part's
// folder; ResolvePath turns either into a package path.
//
// Reading is for hostile input (a crafted archive): an entry count cap, a per-file and a whole-package cap on the
// inflated size (each entry is inflated through a counter and cut at its cap, so a ZIP bomb costs at most the cap),
// names that climb out of the package ("..", absolute, backslashes, NUL) or repeat, encrypted entries, and CRCs that
// do not match are refused. Writing is deterministic: the same files in the same order give the same bytes (a fixed
// 1980-01-01 time stamp on every entry).
//
// Thread safety: free functions, reentrant. Errors: zhiping::Error kInvalidInput (a package that cannot be read,
// with why and which entry), kInternal (writing failed).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace zhiping::ofd {

struct PackageFile {
  std::string path;   // "Doc_0/Document.xml"
  std::string bytes;
  bool compress = true;  // false: stored (PNG/JPEG/ZIP-ish content gains nothing from deflate)
};

struct Package {
  std::vector<PackageFile> files;  // in the order they are written

  // The file at `path` (package path, a leading '/' is ignored), or nullptr.
  const PackageFile* Find(const std::string& path) const;
  PackageFile* Find(const std::string& path);
  // Adds the file, or replaces the bytes of the one already at that path (keeping its place in the order).
  PackageFile& Put(const std::string& path, std::string bytes, bool compress = true);
};

struct ReadLimits {
  size_t max_files = 4096;
  uint64_t max_file_bytes = 64ull << 20;     // one inflated entry
  uint64_t max_total_bytes = 256ull << 20;   // all inflated entries together
};

// The package's ZIP. deflate_level: zlib level for compressed entries (1 fastest … 9 smallest).
std::string WriteZip(const Package& package, int deflate_level = 6);

// Reads a package from ZIP bytes under `limits`. Directory entries are skipped.
Package ReadZip(const std::string& zip, const ReadLimits& limits = ReadLimits());

// A reference found in part `from` ("Doc_0/Document.xml") to a package path: "/Doc_0/Res/a.png" → "Doc_0/Res/a.png";
// "Pages/Page_0/Content.xml" → "Doc_0/Pages/Page_0/Content.xml". "" when it climbs out of the package or is empty.
std::string ResolvePath(const std::string& from, const std::string& reference);

}  // namespace zhiping::ofd
