#!/usr/bin/env bash
# demo.sh — set everything up and run tessera's main job on a default set of real photos.
#
#   usage:  bash scripts/demo.sh
#
# 1. installs the build dependencies (scripts/install-deps.sh) and builds (scripts/build.sh);
# 2. fetches Debian's MATE and KDE Plasma wallpaper packages with `apt-get download` and unpacks
#    their photos into demo/samples/ with `dpkg-deb -x` (nothing is installed system-wide; about
#    140 MB is downloaded once, reruns reuse demo/debs/);
# 3. thumbnails them all in every freedesktop size into demo/cache/thumbnails/ (a fresh cache each
#    run, so the rate is real), then runs again to show that valid thumbnails are kept.
#
# Needs nothing outside the repository except Debian's package archive.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
export VIPS_WARNING=0   # the Plasma wallpapers carry a bogus EXIF ResolutionUnit
export LC_NUMERIC=C     # "$EPOCHREALTIME" and awk agree on the decimal point

say() { printf '\n==> %s\n' "$*"; }
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }'; }

say "Installing build dependencies"
bash scripts/install-deps.sh

say "Building"
bash scripts/build.sh
TESSERA=$ROOT/build/tessera

# --- sample photos from Debian's wallpaper packages (downloaded, never installed) -------------
PKGS=(mate-backgrounds plasma-workspace-wallpapers)
DEMO=$ROOT/demo
SAMPLES=$DEMO/samples
mkdir -p "$DEMO/debs" "$SAMPLES" "$DEMO/licenses"

SUDO=()
[ "$(id -u)" != 0 ] && command -v sudo >/dev/null && SUDO=(sudo)
APTDL=(apt-get download)
# As root apt drops to the _apt user, which cannot write here; download as root instead.
[ "$(id -u)" = 0 ] && APTDL+=(-o APT::Sandbox::User=root)

fetch_samples() {  # PKG: download the .deb once, unpack its photos once
  local pkg=$1 deb tree
  # The .version file is written last: it marks a complete unpack (no marker files among the
  # samples themselves, or tessera would try to thumbnail them).
  if [ -f "$DEMO/licenses/$pkg.version" ] && [ -d "$SAMPLES/$pkg" ]; then return 0; fi
  deb=$(ls "$DEMO/debs/${pkg}"_*.deb 2>/dev/null | head -n1 || true)
  if [ -z "$deb" ]; then
    echo "downloading $pkg"
    ( cd "$DEMO/debs" && "${APTDL[@]}" "$pkg" ) ||
      { "${SUDO[@]}" apt-get update && ( cd "$DEMO/debs" && "${APTDL[@]}" "$pkg" ); }
    deb=$(ls "$DEMO/debs/${pkg}"_*.deb | head -n1)
  fi
  tree=$(mktemp -d "$DEMO/.unpack-XXXXXX")
  dpkg-deb -x "$deb" "$tree" || {  # an interrupted download: drop it so the next run refetches
    rm -rf "$tree" "$deb"; echo "demo.sh: $deb was damaged and is removed; run again" >&2; exit 1; }
  rm -rf "${SAMPLES:?}/$pkg" "${DEMO:?}/licenses/$pkg".* && mkdir -p "$SAMPLES/$pkg"
  # Flatten .../wallpapers/Altai/contents/images/5120x2880.png to Altai-images-5120x2880.png.
  local f rel
  while IFS= read -r -d '' f; do
    rel=${f#"$tree"/usr/share/}
    rel=${rel#backgrounds/mate/}
    rel=${rel#wallpapers/}
    rel=${rel//\/contents\//-}
    mv "$f" "$SAMPLES/$pkg/${rel//\//-}"
  done < <(find "$tree/usr/share/backgrounds" "$tree/usr/share/wallpapers" -type f \
             \( -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.png' \) -print0 2>/dev/null)
  cp "$tree/usr/share/doc/$pkg/copyright" "$DEMO/licenses/$pkg.copyright"
  rm -rf "$tree"
  printf '%s %s\n' "$pkg" "$(dpkg-deb -f "$deb" Version)" > "$DEMO/licenses/$pkg.version"
}

say "Sample photos (Debian packages ${PKGS[*]}, unpacked, not installed)"
for p in "${PKGS[@]}"; do fetch_samples "$p"; done
nfiles=$(find "$SAMPLES" -type f | wc -l)
echo "$nfiles images, $(du -sh "$SAMPLES" | cut -f1) in demo/samples/ (licences in demo/licenses/)"

# --- the main job ------------------------------------------------------------------------------
export XDG_CACHE_HOME=$DEMO/cache
rm -rf "$XDG_CACHE_HOME/thumbnails"
JOBS=$(nproc)

say "tessera thumbnail -r --size all -j $JOBS demo/samples   (fresh cache)"
start=$EPOCHREALTIME
status=0
"$TESSERA" thumbnail -r --size all -j "$JOBS" "$SAMPLES" || status=$?
wall=$(since "$start")

say "Result"
for d in normal large x-large xx-large; do
  [ -d "$XDG_CACHE_HOME/thumbnails/$d" ] || continue
  printf '  %-9s %4d PNGs  %s\n' "$d" "$(find "$XDG_CACHE_HOME/thumbnails/$d" -name '*.png' | wc -l)" \
    "$(du -sh "$XDG_CACHE_HOME/thumbnails/$d" | cut -f1)"
done
printf 'cache:      %s\n' "$XDG_CACHE_HOME/thumbnails"
printf 'wall time:  %s s for %d images x 4 sizes (%s images/s, %d jobs, measured by this script)\n' \
  "$wall" "$nfiles" "$(awk -v n="$nfiles" -v t="$wall" 'BEGIN { printf "%.1f", n / t }')" "$JOBS"

# One file end to end: where its thumbnail is, what it says, and whether GLib accepts it.
example=$(find "$SAMPLES/mate-backgrounds" -type f -name 'nature-*.jpg' | sort | head -n1)
if [ -n "$example" ]; then
  say "One image: $example"
  "$TESSERA" lookup --size large "$example" || true
  # lookup prints "FILE<TAB>SIZE<TAB>THUMBNAIL" for a valid thumbnail.
  thumb=$("$TESSERA" lookup --size large "$example" 2>/dev/null | awk -F'\t' 'NR == 1 { print $3 }' || true)
  [ -f "$thumb" ] && { "$TESSERA" info "$thumb" || true; }
  if command -v gio >/dev/null; then
    echo "GLib's view (gio info -a 'thumbnail::*'):"
    gio info -a 'thumbnail::*' "$example" 2>/dev/null | sed -n 's/^  */  /p' || true
  fi
fi

say "Second run: valid thumbnails are kept, nothing is redone"
start=$EPOCHREALTIME
"$TESSERA" thumbnail -r --size all -j "$JOBS" "$SAMPLES" || status=$?
printf 'wall time:  %s s\n' "$(since "$start")"

exit "$status"
