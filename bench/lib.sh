# bench/lib.sh — what the bench scripts share. Source it from the repository root: `. bench/lib.sh`.

# require_built SCRIPT TARGETS BIN…: exits 1 naming the first BIN that is not an executable, with the cmake
# command that builds TARGETS.
require_built() {
  local script=$1 targets=$2 bin
  shift 2
  for bin in "$@"; do
    if [ ! -x "$bin" ]; then
      echo "$script: $bin not found; build it with: cmake --build ${build:-build} --target $targets" >&2
      exit 1
    fi
  done
}

# timed_run TIME_FILE CMD…: runs CMD under /usr/bin/time -v, its figures into TIME_FILE; on failure prints them
# and exits 1. Then prints the wall, CPU and peak-RSS lines ("time: …") on stderr.
timed_run() {
  local time_file=$1
  shift
  /usr/bin/time -v "$@" 2> "$time_file" || {
    cat "$time_file" >&2
    exit 1
  }
  grep -E "Elapsed|Maximum resident|User time|System time" "$time_file" | sed 's/^\s*/time: /' >&2
}

# time_figures TIME_FILE: "WALL_SECONDS USER_SECONDS PEAK_RSS_KIB" of a timed_run.
time_figures() {
  local wall user rss
  wall=$(grep Elapsed "$1" | awk -F': ' '{print $2}' | awk -F: '{print ($1 * 60) + $2}')
  user=$(grep "User time" "$1" | awk -F': ' '{print $2}')
  rss=$(grep "Maximum resident" "$1" | awk -F': ' '{print $2}')
  echo "$wall $user $rss"
}
