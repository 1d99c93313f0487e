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
