#!/usr/bin/env bash
# compare.sh — tessera side by side with sharp and vipsthumbnail, in one run, interleaved.
#
#   usage:  bash bench/compare.sh            (after scripts/build.sh and scripts/corpus.sh)
#   env:    TESSERA_CORPUS   corpus folder (default $HOME/.cache/tessera-corpus); uses photos/
#           BENCH_PHOTOS     another folder of images instead of $TESSERA_CORPUS/photos
#           BENCH_ROUNDS     interleaved rounds (default 3; the median is reported)
#           TESSERA_BIN      the command to measure (default build/tessera)
#           BENCH_EXTRAS=0   skip the peak-RSS and bomb measurements
#
# Every tool keeps two images in flight (2 cores): tessera -j 2; sharp with two files in flight
# and sharp.concurrency(1); vipsthumbnail as two processes (xargs -P 2) with VIPS_CONCURRENCY=1.
# Each measurement writes into a fresh, empty output folder. See bench/README.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
export LC_ALL=C VIPS_WARNING=0

CORPUS=${TESSERA_CORPUS:-$HOME/.cache/tessera-corpus}
PHOTOS=${BENCH_PHOTOS:-$CORPUS/photos}
ROUNDS=${BENCH_ROUNDS:-3}
TESSERA=${TESSERA_BIN:-$ROOT/build/tessera}
OUT=$ROOT/bench/out/compare  # its own folder: the other scripts keep theirs
JOBS=2
TIME_BIN=/usr/bin/time

[ -d "$PHOTOS" ] || { echo "compare.sh: no $PHOTOS; run scripts/corpus.sh (or set BENCH_PHOTOS)" >&2; exit 1; }
mapfile -t FILES < <(find "$PHOTOS" -maxdepth 1 -type f \( -iname '*.jpg' -o -iname '*.jpeg' \) | sort)
N=${#FILES[@]}
[ "$N" -gt 0 ] || { echo "compare.sh: no JPEGs in $PHOTOS" >&2; exit 1; }
BATCH=$(( (N + JOBS - 1) / JOBS ))
rm -rf "$OUT" && mkdir -p "$OUT"

# --- which tools can run --------------------------------------------------------------------
have_tessera=0 have_sharp=0 have_vips=0
if [ -x "$TESSERA" ]; then have_tessera=1; else echo "compare.sh: $TESSERA not built: skipping tessera (run scripts/build.sh)"; fi
if command -v vipsthumbnail >/dev/null; then have_vips=1; else echo "compare.sh: vipsthumbnail missing: skipping it (bash scripts/install-deps.sh --bench)"; fi
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "compare.sh: sharp 0.35 needs Node >= 20.9 (found: $(node -v 2>/dev/null || echo none)): skipping sharp"
else
  if [ ! -d bench/node_modules/sharp ]; then
    echo "compare.sh: npm install (sharp) in bench/"
    (cd bench && npm install --no-audit --no-fund --loglevel=error)
  fi
  have_sharp=1
fi
[ -x "$TIME_BIN" ] || TIME_BIN=""

# --- the measured commands: each takes an empty output folder --------------------------------
tessera_large() { XDG_CACHE_HOME=$1 "$TESSERA" thumbnail --size large -j $JOBS --force "$PHOTOS"; }
tessera_all()   { XDG_CACHE_HOME=$1 "$TESSERA" thumbnail --size all -j $JOBS --force "$PHOTOS"; }
sharp_one()     { node "$ROOT/bench/sharp_thumbs.mjs" one "$1" "${FILES[@]}"; }
sharp_four()    { node "$ROOT/bench/sharp_thumbs.mjs" four "$1" "${FILES[@]}"; }
vips_sized()    { printf '%s\0' "${FILES[@]}" |
                    VIPS_CONCURRENCY=1 xargs -0 -P $JOBS -n $BATCH vipsthumbnail -s "${2}x${2}>" -o "$1/%s$3.png"; }
vips_one()      { vips_sized "$1" 256 ""; }
vips_four()     { local s; for s in 1024 512 256 128; do vips_sized "$1" $s "-$s"; done; }

# id | tool | mode | function
MODES=()
[ $have_tessera = 1 ] && MODES+=("t1|tessera|256 px (--size large)|tessera_large")
[ $have_sharp = 1 ]   && MODES+=("s1|sharp|256 px|sharp_one")
[ $have_vips = 1 ]    && MODES+=("v1|vipsthumbnail|256 px|vips_one")
[ $have_tessera = 1 ] && MODES+=("t4|tessera|4 sizes (--size all)|tessera_all")
[ $have_sharp = 1 ]   && MODES+=("s4|sharp|4 sizes, 1 decode|sharp_four")
[ $have_vips = 1 ]    && MODES+=("v4|vipsthumbnail|4 sizes, 4 runs|vips_four")
[ ${#MODES[@]} -gt 0 ] || { echo "compare.sh: nothing to measure" >&2; exit 1; }

declare -A WALL CPU BYTES COUNT FAILS
measure() {  # ID FUNC ROUND -> appends wall and CPU seconds
  local id=$1 fn=$2 dir="$OUT/$1" log="$OUT/$1.log" tf="$OUT/$1.time" start wall rc=0
  rm -rf "$dir" && mkdir -p "$dir"
  start=$EPOCHREALTIME
  if [ -n "$TIME_BIN" ]; then
    "$TIME_BIN" -f '%U %S' -o "$tf" bash -c "$(declare -f "$fn" vips_sized); FILES=(\"\$@\"); $fn \"$dir\"" _ "${FILES[@]}" \
      >"$log" 2>&1 || rc=$?
  else
    "$fn" "$dir" >"$log" 2>&1 || rc=$?
  fi
  wall=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }')
  WALL[$id]+="$wall "
  if [ -n "$TIME_BIN" ]; then CPU[$id]+="$(awk 'END { printf "%.2f", $1 + $2 }' "$tf") "; fi
  if [ $rc != 0 ]; then FAILS[$id]="exit $rc (see bench/out/compare/$id.log)"; fi
  COUNT[$id]=$(find "$dir" -type f -name '*.png' | wc -l)
  BYTES[$id]=$(find "$dir" -type f -name '*.png' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
  printf '  round %d  %-14s %-22s %7.2f s\n' "$3" "${4}" "${5}" "$wall"
}
median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { if (NR) printf "%.2f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; else printf "-" }'; }

export TESSERA PHOTOS ROOT JOBS BATCH
echo "compare.sh: $N JPEGs in $PHOTOS ($(du -sh "$PHOTOS" | cut -f1)), $ROUNDS interleaved rounds, $JOBS images in flight, $(nproc) cores"
echo "  $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
[ $have_tessera = 1 ] && echo "  tessera: $TESSERA"
[ $have_sharp = 1 ] && echo "  sharp $(node -p 'require("./bench/node_modules/sharp/package.json").version') with libvips $(cd bench && node -e 'import("sharp").then(s => console.log(s.default.versions.vips))')"
[ $have_vips = 1 ] && echo "  vipsthumbnail: $(vips --version)"
cat "${FILES[@]}" >/dev/null   # warm the page cache: every tool reads the same bytes
for ((r = 1; r <= ROUNDS; r++)); do
  for m in "${MODES[@]}"; do
    IFS='|' read -r id tool mode fn <<<"$m"
    measure "$id" "$fn" "$r" "$tool" "$mode"
  done
done

# --- the table --------------------------------------------------------------------------------
echo
printf '%-14s %-22s %7s %7s %8s %8s %5s %11s %8s\n' tool mode "wall s" "CPU s" "wall vs" "CPU vs" PNGs "out bytes" "bytes"
printf '%-14s %-22s %7s %7s %8s %8s %5s %11s %8s\n' "" "(medians of $ROUNDS)" "" "" "sharp" "sharp" "" "" "/sharp"
for m in "${MODES[@]}"; do
  IFS='|' read -r id tool mode fn <<<"$m"
  ref=s${id:1:1}
  w=$(median <<<"${WALL[$id]}")
  c=$(median <<<"${CPU[$id]:-}")
  speed=- cspeed=- bratio=-
  if [ -n "${WALL[$ref]:-}" ]; then
    speed=$(awk -v s="$(median <<<"${WALL[$ref]}")" -v t="$w" 'BEGIN { printf "%.2fx", s / t }')
    [ "$c" != - ] && cspeed=$(awk -v s="$(median <<<"${CPU[$ref]}")" -v t="$c" 'BEGIN { printf "%.2fx", s / t }')
    bratio=$(awk -v b="${BYTES[$id]}" -v s="${BYTES[$ref]}" 'BEGIN { if (s > 0) printf "%.2f", b / s; else print "-" }')
  fi
  printf '%-14s %-22s %7s %7s %8s %8s %5s %11s %8s %s\n' "$tool" "$mode" "$w" "$c" "$speed" "$cspeed" \
    "${COUNT[$id]}" "${BYTES[$id]}" "$bratio" "${FAILS[$id]:-}"
done
echo "(X vs sharp = sharp's median time / this tool's in the same mode: >1 means faster than sharp;"
echo " CPU = user + sys of the whole process tree, steadier than wall time on a busy machine;"
echo " bytes/sharp = total PNG bytes / sharp's)"
[ $have_vips = 1 ] && echo "(vipsthumbnail has no multi-size mode: 4 sizes = one full pass per size)"

# --- extras: peak memory on 96 MP, time to refuse each bomb --------------------------------------
[ "${BENCH_EXTRAS:-1}" = 1 ] || exit 0
[ $have_tessera = 1 ] || { echo; echo "extras skipped: tessera not built"; exit 0; }
[ -n "$TIME_BIN" ] || { echo; echo "extras skipped: /usr/bin/time missing (apt-get install time)"; exit 0; }

big=$(ls "$CORPUS"/photos-large-derived/*96*.jpg 2>/dev/null | head -n1 || true)
if [ -n "$big" ]; then
  echo
  echo "Peak memory, 4 sizes of $(basename "$big") (12000x8000, derived):"
  rm -rf "$OUT/rss" && mkdir -p "$OUT/rss"
  rc=0
  XDG_CACHE_HOME=$OUT/rss "$TIME_BIN" -f '%e %M' -o "$OUT/rss.time" \
    "$TESSERA" thumbnail --size all --force "$big" >"$OUT/rss.log" 2>&1 || rc=$?
  read -r e m < <(tail -n1 "$OUT/rss.time")
  printf '  %-14s %6.2f s  %7d MB peak RSS  exit %d\n' tessera "$e" $((m / 1024)) $rc
  if [ $have_sharp = 1 ]; then
    rc=0
    "$TIME_BIN" -f '%e %M' -o "$OUT/rss.time" node bench/sharp_thumbs.mjs four "$OUT/rss/sharp" "$big" >/dev/null 2>&1 || rc=$?
    read -r e m < <(tail -n1 "$OUT/rss.time")
    printf '  %-14s %6.2f s  %7d MB peak RSS  exit %d\n' sharp "$e" $((m / 1024)) $rc
  fi
fi

mapfile -t BOMBS < <(ls "$CORPUS"/bad/*-[0-9][0-9][0-9][0-9][0-9]*x[0-9]* 2>/dev/null || true)
if [ ${#BOMBS[@]} -gt 0 ]; then
  echo
  echo "Time to refuse each bomb (tessera thumbnail --size large FILE; 60 s limit):"
  for b in "${BOMBS[@]}"; do
    rm -rf "$OUT/bomb" && mkdir -p "$OUT/bomb"
    rc=0 start=$EPOCHREALTIME
    XDG_CACHE_HOME=$OUT/bomb "$TIME_BIN" -f '%M' -o "$OUT/bomb.time" \
      timeout 60 "$TESSERA" thumbnail --size large "$b" >"$OUT/bomb.log" 2>&1 || rc=$?
    ms=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%d", (b - a) * 1000 }')
    m=$(tail -n1 "$OUT/bomb.time")
    case "$rc:$b" in
      1:*) verdict="exit 1, refused" ;;
      0:*.svg) verdict="exit 0, rendered at the target size (fine for a vector image)" ;;
      124:*) verdict="TIMEOUT: not refused in 60 s" ;;
      *) verdict="exit $rc: UNEXPECTED (see bench/out/compare/bomb.log)" ;;
    esac
    printf '  %-42s %6d ms  %6d MB  %s\n' "$(basename "$b")" "$ms" $((m / 1024)) "$verdict"
  done
fi
