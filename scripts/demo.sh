#!/usr/bin/env bash
# demo.sh — set everything up and run tessera's main job on a default set of real photos.
#
#   usage:  bash scripts/demo.sh            the media server on a demo library (Ctrl-C stops it)
#           bash scripts/demo.sh --cache    the freedesktop thumbnail cache instead
#   env:    PORT (default 8000); DEMO_EXIT=1 stops the server once it has shown it works
#
# 1. installs the build dependencies (scripts/install-deps.sh) and builds (scripts/build.sh);
# 2. fetches Debian's MATE and KDE Plasma wallpaper packages with `apt-get download` and unpacks
#    their photos into demo/samples/ with `dpkg-deb -x` (nothing is installed system-wide; about
#    140 MB is downloaded once, reruns reuse demo/debs/);
# 3. media server: makes user "demo" owning demo/samples (password in demo/server/demo.password),
#    starts `tessera serve` on 127.0.0.1:$PORT with its embedded SQLite catalog in demo/server/,
#    waits for the first scan (big, square and small square thumbnails, faces, placeholders),
#    prints an access token and curl commands to try, and serves until Ctrl-C.
#    --cache: thumbnails them all in every freedesktop size into demo/cache/thumbnails/ instead.
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

cache_demo() {
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

return "$status"
}

server_demo() {
  local data=$DEMO/server port=${PORT:-8000} token hash jobs start
  mkdir -p "$data"
  if ! "$TESSERA" user token demo --data "$data" >/dev/null 2>&1; then
    say "tessera user add demo --library demo/samples --data demo/server"
    head -c 15 /dev/urandom | base64 | tr '+/' '-_' > "$data/demo.password"
    chmod 600 "$data/demo.password"
    "$TESSERA" user add demo --library "$SAMPLES" --first-name Demo --data "$data" \
      --password-stdin < "$data/demo.password"
  fi
  say "tessera serve --data demo/server --port $port   (embedded SQLite catalog, nothing else to run)"
  "$TESSERA" serve --data "$data" --port "$port" &
  SERVER=$!
  trap 'kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null' EXIT
  local base="http://127.0.0.1:$port"
  for _ in $(seq 100); do curl -fs "$base/api/health" >/dev/null && break; sleep 0.2; done
  token=$("$TESSERA" user token demo --data "$data" --ttl 86400)
  start=$EPOCHREALTIME
  # The first scan: wait until the scan is idle and the job queue empty.
  while :; do
    kill -0 "$SERVER" 2>/dev/null || { echo "demo.sh: the server stopped" >&2; exit 1; }
    jobs=$(curl -fs -H "Authorization: Bearer $token" "$base/api/jobs" || true)
    if printf '%s' "$jobs" | grep -q '"state":"idle"' &&
       printf '%s' "$jobs" | grep -q '"pending":0'; then
      break
    fi
    sleep 1
  done
  printf 'first scan done after %s s\n' "$(since "$start")"
  hash=$(curl -fs -H "Authorization: Bearer $token" "$base/api/photos?limit=1" |
         grep -o '"hash":"[0-9a-f]*"' | head -n1 | cut -d'"' -f4)
  say "Try it (the token is valid for a day; another: build/tessera user token demo --data demo/server)"
  cat <<EXAMPLES
export TOKEN=$token
curl -s -H "Authorization: Bearer \$TOKEN" '$base/api/photos?limit=3'
curl -s -H "Authorization: Bearer \$TOKEN" $base/api/jobs
curl -s -H "Authorization: Bearer \$TOKEN" -o big.jpg    $base/media/thumbnails_big/$hash
curl -s -H "Authorization: Bearer \$TOKEN" -o square.jpg $base/media/square_thumbnails/$hash
curl -s -H "Authorization: Bearer \$TOKEN" -o small.jpg  $base/media/small_square_thumbnails/$hash
curl -s -H "Authorization: Bearer \$TOKEN" -r 0-99 $base/media/photos/$hash | wc -c
curl -s -i $base/media/square_thumbnails/$hash | head -n1    # no token: 401
curl -s -H 'Content-Type: application/json' \\
     -d "{\"username\":\"demo\",\"password\":\"\$(cat demo/server/demo.password)\"}" \\
     $base/api/auth/token/obtain/
EXAMPLES
  say "Checking: GET /media/square_thumbnails/$hash"
  curl -fs -o /dev/null -w '%{http_code} %{content_type} %{size_download} bytes\n' \
    -H "Authorization: Bearer $token" "$base/media/square_thumbnails/$hash"
  [ "${DEMO_EXIT:-0}" = 1 ] && return 0
  say "Serving at $base/ (Ctrl-C stops it)"
  wait "$SERVER"
}

if [ "${1:-}" = --cache ]; then cache_demo; else server_demo; fi
