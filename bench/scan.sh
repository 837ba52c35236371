#!/usr/bin/env bash
# scan.sh — the media server's scan: throughput against sharp, the cost of face detection, and an
# unchanged rescan of a large library.
#
#   usage:  bash bench/scan.sh               (after scripts/corpus.sh; builds tessera if needed)
#   env:    TESSERA_BIN          the command to measure (default build-bench/tessera, built Release
#                                from this tree, or brought up to date, first)
#           TESSERA_CORPUS       corpus folder (default $HOME/.cache/tessera-corpus)
#           BENCH_PHOTOS         folders of JPEGs to scan (default: the corpus's photos/ and
#                                photos-large-derived/)
#           BENCH_JOBS           files in flight (default 2: --workers 2, sharp two at a time)
#           BENCH_ROUNDS         interleaved rounds (default 3; medians reported)
#           BENCH_RESCAN_FILES   size of the rescan library (default 10000; 0 skips that part)
#
# 1. Fresh scan: each round, a new data folder (its user and library registered beforehand, so
#    the password hash is not timed), then `tessera scan --workers 2 --no-faces`: every photo
#    decoded once into thumbnails_big (inside 4096x1080, JPEG q85), square_thumbnails (500x500
#    attention crop, q85) and small_square_thumbnails (250x250, q80), plus what a scan does
#    besides (content hash, EXIF, placeholder, catalog rows). Beside it sharp makes the same three
#    JPEGs from one decode (bench/sharp_variants.mjs), two files in flight, one libvips thread
#    each; and the same tessera scan with face detection on. Inputs are read once beforehand.
# 2. Rescan: BENCH_RESCAN_FILES distinct 64x64 JPEGs (made once with ImageMagick, kept in
#    bench/out/cache/), scanned once, then `tessera scan` again with nothing changed: the scan's
#    own reported seconds and the whole command's wall time. The target is under one second.
# Results: bench/out/scan.txt. See bench/README.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
export LC_ALL=C VIPS_WARNING=0

CORPUS=${TESSERA_CORPUS:-$HOME/.cache/tessera-corpus}
PHOTO_DIRS=${BENCH_PHOTOS:-$CORPUS/photos $CORPUS/photos-large-derived}
TESSERA=${TESSERA_BIN:-$ROOT/build-bench/tessera}
JOBS=${BENCH_JOBS:-2}
ROUNDS=${BENCH_ROUNDS:-3}
RESCAN_FILES=${BENCH_RESCAN_FILES:-10000}
OUT=$ROOT/bench/out
WORK=$OUT/scan
CACHE=$OUT/cache
RESULTS=$OUT/scan.txt
TIME_BIN=/usr/bin/time

say() { echo "scan.sh: $*"; }
die() { echo "scan.sh: $*" >&2; exit 1; }

# --- what it needs ------------------------------------------------------------------------------
if [ ! -x "$TIME_BIN" ] || ! command -v convert >/dev/null || ! command -v node >/dev/null; then
  bash scripts/install-deps.sh --bench
fi
mkdir -p "$OUT"
if [ -z "${TESSERA_BIN:-}" ]; then
  # Up to date with this tree (a no-op when it is): a stale binary would measure old code.
  say "building $TESSERA (Release; nothing to do when up to date)"
  [ -f build-bench/build.ninja ] || cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build-bench --target tessera tessera-helper >"$OUT/build-bench.log" 2>&1 ||
    die "building failed (see $OUT/build-bench.log)"
fi
[ -x "$TESSERA" ] || die "$TESSERA is not executable"
have_sharp=0
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  say "sharp 0.35 needs Node >= 20.9 (found: $(node -v 2>/dev/null || echo none)): skipping sharp"
else
  if [ ! -d bench/node_modules/sharp ]; then
    say "npm install (sharp) in bench/"
    (cd bench && npm install --no-audit --no-fund --loglevel=error)
  fi
  have_sharp=1
fi

FILES=()
for d in $PHOTO_DIRS; do
  [ -d "$d" ] || { say "no $d: skipped (run scripts/corpus.sh)"; continue; }
  mapfile -t -O "${#FILES[@]}" FILES < <(find "$d" -maxdepth 1 -type f \( -iname '*.jpg' -o -iname '*.jpeg' \) | sort)
done
N=${#FILES[@]}
[ "$N" -gt 0 ] || die "no JPEGs in $PHOTO_DIRS"

rm -rf "$WORK" && mkdir -p "$WORK/library" "$CACHE"
cp "${FILES[@]}" "$WORK/library/"
cat "$WORK"/library/* >/dev/null  # warm the page cache: both tools read the same bytes

# A data folder with user "bench" owning LIBRARY and no photos yet.
new_data() {  # DATA LIBRARY
  rm -rf "$1" && mkdir -p "$1"
  echo "bench-password" | "$TESSERA" user add bench --library "$2" --data "$1" --password-stdin \
    >/dev/null || die "tessera user add failed"
}
# "files unchanged seconds" from the last scan line of a log, or "- - -".
scan_line() {
  sed -n 's/.*scan .*: \([0-9]*\) files, \([0-9]*\) unchanged, .* in \([0-9.]*\) s.*/\1 \2 \3/p' "$1" |
    tail -n1 | grep . || echo "- - -"
}
median() { tr ' ' '\n' | grep . | grep -v '^-$' | sort -g | awk '{ v[NR] = $1 } END { if (NR) printf "%.2f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; else printf "-" }'; }

# Runs a command under /usr/bin/time: sets WALL_ (s), CPU_ (user + sys s), RSS_ (MB), RC_.
timed() {  # LOG COMMAND...
  local log=$1 start; shift
  RC_=0
  start=$EPOCHREALTIME
  "$TIME_BIN" -f '%U %S %M' -o "$log.time" "$@" >"$log" 2>&1 || RC_=$?
  WALL_=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }')
  read -r u s m < <(tail -n1 "$log.time")
  CPU_=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
  RSS_=$((m / 1024))
}

{
  echo "scan.sh: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "  $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "  tessera: $TESSERA"
  [ $have_sharp = 1 ] && echo "  sharp $(node -p 'require("./bench/node_modules/sharp/package.json").version') with libvips $(cd bench && node -e 'import("sharp").then(s => console.log(s.default.versions.vips))')"
  echo "  $N JPEGs ($(du -shL "$WORK/library" | cut -f1)) from: $PHOTO_DIRS"
  echo "  $JOBS files in flight, $ROUNDS interleaved rounds"
} | tee "$RESULTS"

# --- 1. fresh scan against sharp, faces off and on ----------------------------------------------
MODES=("plain|tessera scan --no-faces" "faces|tessera scan (faces on)")
[ $have_sharp = 1 ] && MODES=("${MODES[0]}" "sharp|sharp, same 3 JPEGs" "${MODES[1]}")
declare -A WALL CPU RSS SELF OUTS FAIL
for ((r = 1; r <= ROUNDS; r++)); do
  for m in "${MODES[@]}"; do
    IFS='|' read -r id label <<<"$m"
    log="$WORK/$id-$r.log"
    case $id in
      plain|faces)
        new_data "$WORK/data-$id" "$WORK/library"
        flags=(--workers "$JOBS"); [ $id = plain ] && flags+=(--no-faces)
        timed "$log" "$TESSERA" scan --data "$WORK/data-$id" "${flags[@]}"
        read -r files unchanged secs < <(scan_line "$log")
        SELF[$id]+="$secs "
        OUTS[$id]=$(find "$WORK/data-$id" -type f -name '*.jpg' -path '*thumbnails*' | wc -l)
        ;;
      sharp)
        rm -rf "$WORK/sharp-out"
        timed "$log" env BENCH_JOBS="$JOBS" node bench/sharp_variants.mjs "$WORK/sharp-out" "$WORK"/library/*
        secs=$(awk '/ files .* s$/ { print $3 }' "$log")
        SELF[$id]+="${secs:--} "
        OUTS[$id]=$(find "$WORK/sharp-out" -type f -name '*.jpg' | wc -l)
        ;;
    esac
    WALL[$id]+="$WALL_ " CPU[$id]+="$CPU_ " RSS[$id]+="$RSS_ "
    [ "$RC_" = 0 ] || FAIL[$id]="exit $RC_ (see $log)"
    printf '  round %d  %-28s %7.2f s wall  %7.2f s CPU  %5d MB\n' "$r" "$label" "$WALL_" "$CPU_" "$RSS_" |
      tee -a "$RESULTS"
  done
done

{
  echo
  printf '%-28s %8s %8s %8s %8s %8s %8s %7s\n' "fresh scan, $N files" "wall s" "own s" "files/s" "vs" "CPU s" "peak" "JPEGs"
  printf '%-28s %8s %8s %8s %8s %8s %8s %7s\n' "(medians of $ROUNDS)" "" "" "" "sharp" "" "MB" "out"
  ref=$(median <<<"${WALL[sharp]:-}")
  for m in "${MODES[@]}"; do
    IFS='|' read -r id label <<<"$m"
    w=$(median <<<"${WALL[$id]}")
    vs=$(awk -v s="$ref" -v t="$w" 'BEGIN { if (s != "-" && t > 0) printf "%.2fx", s / t; else print "-" }')
    printf '%-28s %8s %8s %8.1f %8s %8s %8s %7s %s\n' "$label" "$w" "$(median <<<"${SELF[$id]}")" \
      "$(awk -v n="$N" -v w="$w" 'BEGIN { print n / w }')" "$vs" "$(median <<<"${CPU[$id]}")" \
      "$(median <<<"${RSS[$id]}" | cut -d. -f1)" "${OUTS[$id]}" "${FAIL[$id]:-}"
  done
  wp=$(median <<<"${WALL[plain]}") wf=$(median <<<"${WALL[faces]}")
  cp_=$(median <<<"${CPU[plain]}") cf=$(median <<<"${CPU[faces]}")
  awk -v p="$wp" -v f="$wf" -v cp="$cp_" -v cf="$cf" -v n="$N" 'BEGIN {
    printf "face detection: +%.2f s wall (+%.0f%%), +%.1f ms wall and +%.1f ms CPU per photo\n",
           f - p, (f - p) * 100 / p, (f - p) * 1000 / n, (cf - cp) * 1000 / n }'
  echo "(vs sharp = sharp's median wall time / this one's: >1 means faster than sharp; own s = the"
  echo " time the scan reports for itself (tessera) or that node measured (sharp), start-up excluded;"
  echo " CPU = user + sys of the whole process tree; peak MB = largest RSS of one process)"
} | tee -a "$RESULTS"

# --- 2. an unchanged rescan of a large library ----------------------------------------------------
[ "$RESCAN_FILES" -gt 0 ] || exit 0
TINY=$CACHE/tiny-$RESCAN_FILES
if [ ! -f "$TINY/.complete" ]; then
  say "making $RESCAN_FILES distinct 64x64 JPEGs in $TINY (once)"
  rm -rf "$TINY" && mkdir -p "$TINY"
  side=$(awk -v n="$RESCAN_FILES" 'BEGIN { s = int(sqrt(n)); if (s * s < n) s++; print s }')
  # One plasma fractal cut into tiles: every tile differs from every other.
  convert -size "$((side * 64))x$((side * 64))" -seed 1 plasma:fractal -crop 64x64 +repage \
    -quality 80 "$TINY/t%05d.jpg"
  find "$TINY" -name 't*.jpg' | sort | tail -n +"$((RESCAN_FILES + 1))" | xargs -r rm -f
  [ "$(find "$TINY" -name 't*.jpg' | wc -l)" = "$RESCAN_FILES" ] || die "could not make the tiny JPEGs"
  touch "$TINY/.complete"
fi

new_data "$WORK/data-rescan" "$TINY"
timed "$WORK/rescan-first.log" "$TESSERA" scan --data "$WORK/data-rescan" --workers "$JOBS" --no-faces
read -r files unchanged secs < <(scan_line "$WORK/rescan-first.log")
{
  echo
  echo "Unchanged rescan of $RESCAN_FILES distinct 64x64 JPEGs ($(du -sh "$TINY" | cut -f1)), tessera scan --no-faces --workers $JOBS:"
  printf '  first scan:  %s files, %s unchanged, %s s reported, %s s wall, %s s CPU, %.0f files/s%s\n' \
    "$files" "$unchanged" "$secs" "$WALL_" "$CPU_" "$(awk -v n="$files" -v w="$WALL_" 'BEGIN { print n / w }')" \
    "$([ "$RC_" = 0 ] || echo ", exit $RC_")"
} | tee -a "$RESULTS"
RW="" RS="" RC=""
for ((r = 1; r <= ROUNDS; r++)); do
  timed "$WORK/rescan-$r.log" "$TESSERA" scan --data "$WORK/data-rescan" --workers "$JOBS" --no-faces
  read -r files unchanged secs < <(scan_line "$WORK/rescan-$r.log")
  RW+="$WALL_ " RS+="$secs " RC+="$CPU_ "
  printf '  rescan %d:    %s files, %s unchanged, %s s reported, %s s wall, %s s CPU%s\n' \
    "$r" "$files" "$unchanged" "$secs" "$WALL_" "$CPU_" "$([ "$RC_" = 0 ] || echo ", exit $RC_")" |
    tee -a "$RESULTS"
  [ "$files" = "$RESCAN_FILES" ] && [ "$unchanged" = "$RESCAN_FILES" ] ||
    say "WARNING: rescan $r did not find all $RESCAN_FILES files unchanged"
done
w=$(median <<<"$RW") s=$(median <<<"$RS")
{
  printf '  median rescan: %s s reported by the scan, %s s wall for the whole command, %s s CPU: ' \
    "$s" "$w" "$(median <<<"$RC")"
  awk -v w="$w" 'BEGIN { print (w < 1) ? "under 1 s (target met)" : "NOT under 1 s (target missed)" }'
} | tee -a "$RESULTS"
say "results in $RESULTS; logs in $WORK/"
