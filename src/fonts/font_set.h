// fonts/font_set.h — the role map: which font files serve 宋/小标宋/仿宋/楷/黑 and the page numbers.
//
// Contract: GB/T 9704 names faces by role; offices own different licensed files. A FontSet reads a role map file
// (fonts/fonts.conf by default; see docs/configuration.md), finds each file in the font search path, prepares it
// (prepared_font.h) and answers, per character, which font of the role's fallback chain draws it. A role may
// name a Latin face used first for Latin letters and digits (GB/T 15834 / clreq: proportional Latin). Nothing is
// substituted silently: a file that cannot be found is logged by name and skipped, a character no font of the
// chain has is the caller's error to report (with the field it came from).
//
// Thread safety: a FontSet is immutable once constructed; every const method may be called from any number of
// threads at once (the renderer shares one across all requests). Construction is not thread-safe with use.
//
// Lifetime: the FontSet owns its faces. Every `const FontFace*` it returns (Resolve, faces) stays valid, and points
// to the same face, for as long as the FontSet exists, and dangles after it is destroyed: keep the FontSet alive
// while a display list or PDF writer holds such pointers. The file behind a face (FontFace::data, mapped read-only)
// lives as long as the face.
//
// Errors: the constructor throws zhiping::Error kFont for an unreadable or malformed role map, or a role left with
// no usable font; PrepareFont's kFont errors (a damaged font file) pass through. The other methods do not throw.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "fonts/font_face.h"

namespace zhiping::fonts {

enum class Role { kSong, kXiaobiaoSong, kFangSong, kKai, kHei, kPageNumber };
constexpr int kRoleCount = 6;
// "song" -> kSong, …; false for an unknown name.
bool RoleFromName(const std::string& name, Role* role);

struct FontSetOptions {
  std::string role_map_path;               // fonts/fonts.conf
  std::vector<std::string> search_dirs;    // where relative font file names are looked for
  std::string cache_dir;                   // prepared fonts
};

class FontSet {
 public:
  // Throws kFont when a role ends up with no usable font at all.
  explicit FontSet(const FontSetOptions& options);

  // The face that draws `cp` in `role`, or nullptr when no font of the chain has it.
  const FontFace* Resolve(Role role, char32_t cp) const;
  // The role's fallback chain (without its Latin faces), first choice first.
  const std::vector<const FontFace*>& chain(Role role) const { return roles_[static_cast<int>(role)].chain; }
  // Every face, each once (the PDF writer loads them into libharu by file).
  std::vector<const FontFace*> faces() const;
  double bold(Role role) const { return roles_[static_cast<int>(role)].bold; }
  // Human-readable lines: role -> files, for logs and `zhiping fonts`.
  std::vector<std::string> Describe() const;
  // Warnings collected while loading (missing files that were skipped).
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  struct ResolvedRole {
    std::vector<const FontFace*> chain, latin;
    double bold = 0;
  };
  std::vector<std::unique_ptr<FontFace>> faces_;
  ResolvedRole roles_[kRoleCount];
  std::vector<std::string> warnings_;
  std::vector<std::string> description_;
};

// Default search path: $ZHIPING_FONT_PATH (colon-separated), <repo>/fonts, /usr/share/fonts/truetype and its
// subfolders, /usr/local/share/fonts, ~/.local/share/fonts.
std::vector<std::string> DefaultFontSearchDirs(const std::string& project_fonts_dir);
// Finds "gbsn00lp.ttf" (or an absolute path) in the search dirs, recursively one level. "" when absent.
std::string FindFontFile(const std::string& name, const std::vector<std::string>& dirs);

}  // namespace zhiping::fonts
