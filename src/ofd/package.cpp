#include "ofd/package.h"

#include <Poco/DateTime.h>
#include <Poco/Zip/Compress.h>
#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipStream.h>
#include <zlib.h>

#include <algorithm>
#include <set>
#include <sstream>

#include "common/error.h"

namespace zhiping::ofd {
namespace {

std::string Strip(const std::string& path) { return !path.empty() && path[0] == '/' ? path.substr(1) : path; }

[[noreturn]] void Refuse(const std::string& why) {
  throw Error(ErrorKind::kInvalidInput, "not a readable OFD package: " + why);
}

// A package path that stays inside the package: relative, '/'-separated, no "." or ".." segment, no NUL or '\'.
bool SafeName(const std::string& name) {
  if (name.empty() || name[0] == '/' || name.find('\\') != std::string::npos ||
      name.find('\0') != std::string::npos)
    return false;
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find('/', start);
    if (end == std::string::npos) end = name.size();
    const std::string segment = name.substr(start, end - start);
    if (segment == "." || segment == "..") return false;
    if (segment.empty() && end != name.size()) return false;  // "a//b"
    start = end + 1;
  }
  return true;
}

}  // namespace

const PackageFile* Package::Find(const std::string& path) const {
  const std::string p = Strip(path);
  for (const PackageFile& f : files)
    if (f.path == p) return &f;
  return nullptr;
}

PackageFile* Package::Find(const std::string& path) {
  return const_cast<PackageFile*>(static_cast<const Package*>(this)->Find(path));
}

PackageFile& Package::Put(const std::string& path, std::string bytes, bool compress) {
  if (PackageFile* f = Find(path)) {
    f->bytes = std::move(bytes);
    f->compress = compress;
    return *f;
  }
  files.push_back(PackageFile{Strip(path), std::move(bytes), compress});
  return files.back();
}

std::string WriteZip(const Package& package, int deflate_level) {
  // Poco offers four levels; its "super fast" and "fast" are both zlib's 1, "maximum" is 9, "normal" zlib's default.
  const auto level = deflate_level <= 1   ? Poco::Zip::ZipCommon::CL_SUPERFAST
                     : deflate_level >= 9 ? Poco::Zip::ZipCommon::CL_MAXIMUM
                                          : Poco::Zip::ZipCommon::CL_NORMAL;
  const Poco::DateTime fixed(1980, 1, 1);  // deterministic bytes: no writing time in the package
  std::ostringstream out;
  try {
    Poco::Zip::Compress zip(out, true);
    for (const PackageFile& f : package.files) {
      if (!SafeName(f.path)) throw Error(ErrorKind::kInternal, "OFD package path not writable: " + f.path);
      std::istringstream in(f.bytes);
      zip.addFile(in, fixed, Poco::Path(f.path, Poco::Path::PATH_UNIX),
                  f.compress ? Poco::Zip::ZipCommon::CM_DEFLATE : Poco::Zip::ZipCommon::CM_STORE, level);
    }
    zip.close();
  } catch (const Poco::Exception& e) {
    throw Error(ErrorKind::kInternal, "cannot write the OFD package: " + e.displayText());
  }
  return out.str();
}

Package ReadZip(const std::string& zip, const ReadLimits& limits) {
  if (zip.size() < 4 || zip.compare(0, 4, "PK\3\4") != 0) Refuse("it is not a ZIP file");
  Package package;
  std::istringstream in(zip);
  std::set<std::string> seen;
  uint64_t total = 0;
  try {
    Poco::Zip::ZipArchive archive(in);
    // Poco keeps the entries by name; the package's order is the order they sit in the file.
    std::vector<const Poco::Zip::ZipLocalFileHeader*> order;
    for (auto it = archive.headerBegin(); it != archive.headerEnd(); ++it) {
      if (order.size() >= limits.max_files) Refuse("more than " + std::to_string(limits.max_files) + " entries");
      order.push_back(&it->second);
    }
    // Poco reads the local headers one after another; a file cut short still yields the entries before the cut.
    // A whole package ends with its central directory, which names every entry.
    size_t listed = 0;
    for (auto it = archive.fileInfoBegin(); it != archive.fileInfoEnd(); ++it) ++listed;
    if (listed != order.size()) Refuse("it is cut short (its central directory does not list every entry)");
    std::sort(order.begin(), order.end(), [](const auto* a, const auto* b) { return a->getStartPos() < b->getStartPos(); });
    for (const Poco::Zip::ZipLocalFileHeader* header : order) {
      const Poco::Zip::ZipLocalFileHeader& h = *header;
      const std::string name = h.getFileName();
      if (h.isDirectory()) continue;
      if (!SafeName(name)) Refuse("entry name \"" + name + "\" leaves the package");
      if (!seen.insert(name).second) Refuse("entry \"" + name + "\" appears twice");
      if (h.isEncrypted()) Refuse("entry \"" + name + "\" is encrypted");
      const auto method = h.getCompressionMethod();
      if (method != Poco::Zip::ZipCommon::CM_STORE && method != Poco::Zip::ZipCommon::CM_DEFLATE)
        Refuse("entry \"" + name + "\" uses a compression method other than deflate");
      in.clear();
      Poco::Zip::ZipInputStream entry(in, h, true);
      std::string bytes;
      char buffer[1 << 16];
      const uint64_t cap = std::min<uint64_t>(limits.max_file_bytes, limits.max_total_bytes - total);
      while (entry.read(buffer, sizeof buffer) || entry.gcount() > 0) {
        bytes.append(buffer, static_cast<size_t>(entry.gcount()));
        if (bytes.size() > cap)
          Refuse("entry \"" + name + "\" inflates past " +
                 std::to_string((bytes.size() > limits.max_file_bytes ? limits.max_file_bytes
                                                                      : limits.max_total_bytes) >> 20) +
                 " MiB");
      }
      uLong crc = crc32(0L, Z_NULL, 0);
      crc = crc32(crc, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size()));
      if (static_cast<uint32_t>(crc) != h.getCRC() || bytes.size() != h.getUncompressedSize())
        Refuse("entry \"" + name + "\" is damaged (its CRC or size does not match)");
      total += bytes.size();
      package.files.push_back(PackageFile{name, std::move(bytes), method == Poco::Zip::ZipCommon::CM_DEFLATE});
    }
  } catch (const Error&) {
    throw;
  } catch (const Poco::Exception& e) {
    Refuse(e.displayText());
  } catch (const std::exception& e) {
    Refuse(e.what());
  }
  if (package.files.empty()) Refuse("it holds no files");
  return package;
}

std::string ResolvePath(const std::string& from, const std::string& reference) {
  if (reference.empty()) return "";
  std::string joined;
  if (reference[0] == '/') {
    joined = reference.substr(1);
  } else {
    const size_t slash = from.rfind('/');
    joined = (slash == std::string::npos ? "" : from.substr(0, slash + 1)) + reference;
  }
  // Fold "." and ".." segments; climbing above the root is refused.
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= joined.size()) {
    size_t end = joined.find('/', start);
    if (end == std::string::npos) end = joined.size();
    const std::string segment = joined.substr(start, end - start);
    if (segment == "..") {
      if (parts.empty()) return "";
      parts.pop_back();
    } else if (!segment.empty() && segment != ".") {
      parts.push_back(segment);
    }
    start = end + 1;
  }
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : "/") + p;
  return SafeName(out) ? out : "";
}

}  // namespace zhiping::ofd
