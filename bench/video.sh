#!/usr/bin/env bash
# video.sh — tessera against ffmpegthumbnailer on corpus/video, in one run, interleaved.
#
#   usage:  bash bench/video.sh              (after scripts/build.sh and scripts/corpus.sh)
#   env:    TESSERA_CORPUS   corpus folder (default $HOME/.cache/tessera-corpus); uses video/
#           BENCH_ROUNDS     interleaved rounds (default 3; the median is reported)
#           BENCH_SIZE       thumbnail edge (default 256)
#
# Three ways, each over every clip at the same size:
#   per file   one process per clip for both: `ffmpegthumbnailer -i CLIP -o OUT -s 256` against
#              `tessera thumbnailer -s 256 CLIP OUT` (what a desktop runs; tessera starts a
#              decoder helper each time);
#   batch, -j1 all clips in one `tessera thumbnail -j 1` (one helper reused) against the
#              per-file ffmpegthumbnailer loop;
#   batch, -j2 `tessera thumbnail -j 2` against ffmpegthumbnailer under `xargs -P 2`.
# Then each tool's outputs are checked for black frames (mean luma under 16 of 255).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
export LC_ALL=C VIPS_WARNING=0
CORPUS=${TESSERA_CORPUS:-$HOME/.cache/tessera-corpus}
ROUNDS=${BENCH_ROUNDS:-3}
SIZE=${BENCH_SIZE:-256}
TESSERA=$ROOT/build/tessera
OUT=$ROOT/bench/out/video
command -v ffmpegthumbnailer >/dev/null || { echo "video.sh: install ffmpegthumbnailer (scripts/install-deps.sh --bench)" >&2; exit 1; }
[ -x "$TESSERA" ] || { echo "video.sh: build first (scripts/build.sh)" >&2; exit 1; }
mapfile -t FILES < <(find "$CORPUS/video" -maxdepth 1 -type f | sort)
N=${#FILES[@]}
[ "$N" -gt 0 ] || { echo "video.sh: no clips in $CORPUS/video" >&2; exit 1; }
SIZE_NAME=large; [ "$SIZE" = 128 ] && SIZE_NAME=normal

now() { date +%s.%N; }
fresh() { rm -rf "$1"; mkdir -p "$1"; }

run_ffmpegthumbnailer_loop() {
  fresh "$OUT/ft"
  for f in "${FILES[@]}"; do ffmpegthumbnailer -i "$f" -o "$OUT/ft/$(basename "$f").png" -s "$SIZE" 2>/dev/null || true; done
}
run_ffmpegthumbnailer_par() {
  fresh "$OUT/ft2"
  printf '%s\0' "${FILES[@]}" | xargs -0 -P 2 -I{} sh -c 'ffmpegthumbnailer -i "$1" -o "$2/$(basename "$1").png" -s "$3" 2>/dev/null || true' _ {} "$OUT/ft2" "$SIZE"
}
run_tessera_per_file() {
  fresh "$OUT/tp"
  for f in "${FILES[@]}"; do "$TESSERA" thumbnailer -s "$SIZE" "$f" "$OUT/tp/$(basename "$f").png" 2>/dev/null || true; done
}
run_tessera_batch() {  # $1 = jobs
  fresh "$OUT/tb$1"
  "$TESSERA" thumbnail -j "$1" -s "$SIZE_NAME" --cache-dir "$OUT/tb$1" "${FILES[@]}" >/dev/null 2>&1 || true
}

declare -A T
measure() {  # name command...
  local name=$1; shift
  local s; s=$(now); "$@"; local e; e=$(now)
  T[$name]+="$(echo "$e - $s" | bc) "
}
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "video.sh: $N clips, size $SIZE, $ROUNDS rounds (interleaved)"
for r in $(seq "$ROUNDS"); do
  measure ft_loop run_ffmpegthumbnailer_loop
  measure ts_file run_tessera_per_file
  measure ts_j1 "run_tessera_batch" 1
  measure ft_par run_ffmpegthumbnailer_par
  measure ts_j2 "run_tessera_batch" 2
done

ft_loop=$(echo "${T[ft_loop]}" | median); ts_file=$(echo "${T[ts_file]}" | median)
ts_j1=$(echo "${T[ts_j1]}" | median); ft_par=$(echo "${T[ft_par]}" | median)
ts_j2=$(echo "${T[ts_j2]}" | median)
ratio() { echo "scale=2; $1 / $2" | bc; }
printf '\n%-44s %8s %8s %8s\n' "way" "ffmpegt." "tessera" "rate x"
printf '%-44s %8.2f %8.2f %8s\n' "one process per clip (s)" "$ft_loop" "$ts_file" "$(ratio "$ft_loop" "$ts_file")"
printf '%-44s %8.2f %8.2f %8s\n' "batch, one at a time (s)" "$ft_loop" "$ts_j1" "$(ratio "$ft_loop" "$ts_j1")"
printf '%-44s %8.2f %8.2f %8s\n' "batch, two at a time (s)" "$ft_par" "$ts_j2" "$(ratio "$ft_par" "$ts_j2")"
echo "(rate x: ffmpegthumbnailer's time / tessera's; above 1 means tessera is faster)"

# Black frames: mean luma of each output.
dark() {  # folder
  local n=0 f m
  while IFS= read -r -d '' f; do
    m=$(/usr/bin/convert "$f" -colorspace Gray -format '%[fx:int(mean*255)]' info: 2>/dev/null || echo 255)
    if [ "$m" -lt 16 ]; then n=$((n + 1)); echo "  dark ($m): $(basename "$f")" >&2; fi
  done < <(find "$1" -name '*.png' -print0)
  echo "$n"
}
echo
echo "outputs: ffmpegthumbnailer $(find "$OUT/ft" -name '*.png' | wc -l)/$N, tessera $(find "$OUT/tb1" -name '*.png' -path '*large*' | wc -l)/$N"
echo "black frames (mean luma < 16): ffmpegthumbnailer $(dark "$OUT/ft"), tessera $(dark "$OUT/tp")"
