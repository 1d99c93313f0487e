// common/data_dir.h — where zhiping finds the files it ships: templates/, fonts/fonts.conf and samples/.
//
// Why: the defaults used to be relative to the working directory, so `cd build && ./zhiping templates` failed with
// "cannot read font role map fonts/fonts.conf". The program now finds its data directory by itself, in this order:
//   1. $ZHIPING_DATA_DIR, when set (must hold templates/ and fonts/fonts.conf, or start-up says so);
//   2. the working directory, when it holds both (an office's own copy, the checkout itself);
//   3. <dir of the executable>/../share/zhiping (what `cmake --install` lays out: bin/zhiping, share/zhiping/…);
//   4. <dir of the executable>/.. and <dir of the executable> (a build tree inside the checkout: build/zhiping).
// Explicit options and configuration keys (--templates, --fonts, templates.dir, fonts.role_map) always win; only
// what nobody named is looked up here. The archive is the user's data, not ours: it stays relative to the working
// directory (archive/), as the contract says.
//
// Thread safety: pure functions of the environment and the file system; safe to call from any thread.
#pragma once

#include <string>
#include <vector>

namespace zhiping {

struct DataDirLookup {
  std::string dir;                    // the directory chosen; "" when none of the candidates holds the data
  std::vector<std::string> searched;  // every candidate tried, in order, for the error message
  std::string env_problem;            // set when $ZHIPING_DATA_DIR names a directory without the data
};

// True when `dir` holds templates/ and fonts/fonts.conf.
bool IsDataDir(const std::string& dir);

// Runs the lookup above. `exe_path` "" means this process's executable (/proc/self/exe).
DataDirLookup FindDataDir(const std::string& exe_path = "");

}  // namespace zhiping
