#!/usr/bin/env bash
# install-deps.sh — the one place that lists tessera's Debian 12 (bookworm) packages.
#
#   usage:  bash scripts/install-deps.sh [--test] [--bench]
#
#   (no flag)  what building needs
#   --test     also what the test suite needs (GLib/GNOME readers for interop tests, dbus);
#              scripts/corpus.sh's make-corpus.sh installs its own conversion tools
#   --bench    also what bench/compare.sh compares against
#
# Installs only what is missing, with --no-install-recommends; runs `apt-get update` only when
# something is missing and the package lists cannot provide it. Uses sudo only when not root.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

BUILD=(
  build-essential cmake ninja-build pkg-config git curl
  libvips-dev libvips-tools libglib2.0-dev libglib2.0-bin
  libpng-dev libturbojpeg0-dev libjpeg62-turbo-dev libexif-dev liblcms2-dev libisal-dev zlib1g-dev
  libfmt-dev libspdlog-dev libcli11-dev nlohmann-json3-dev
  libgtest-dev libgmock-dev libbenchmark-dev shared-mime-info
  libavformat-dev libavcodec-dev libavfilter-dev libswscale-dev libavutil-dev
  libraw-dev libmagick++-6.q16-dev libseccomp-dev
  libsqlite3-dev libsodium-dev libargon2-dev libxxhash-dev libjwt-dev libboost-dev
  libpqxx-dev libdlib-dev
  bubblewrap
)
# bubblewrap: not for building; other programs' .thumbnailer entries run inside it.
# npm: make-corpus.sh fetches three npm packages with real camera JPEGs (without npm the
# corpus lacks several photos and orientation samples, and corpus tests would fail in CI).
# ffmpeg and imagemagick: tests derive an HDR clip and PSD/TGA/ICO/... samples at run time.
# dbus-daemon: the D-Bus service tests start a private session bus of their own.
# gnome-font-viewer and fonts-dejavu-core: a real installed .thumbnailer (fonts, which tessera
# does not decode) and a font for it.
TEST=(python3 python3-gi gir1.2-gnomedesktop-3.0 gir1.2-gdkpixbuf-2.0 dbus dbus-daemon
      libvips-tools npm ffmpeg imagemagick postgresql gnome-font-viewer fonts-dejavu-core)
# tumbler: XFCE's thumbnail service, the anchor of bench/dbus.sh.
BENCH=(nodejs npm libvips-tools imagemagick ffmpegthumbnailer time wrk curl nginx tumbler)

want=("${BUILD[@]}")
for arg in "$@"; do
  case "$arg" in
    --test) want+=("${TEST[@]}") ;;
    --bench) want+=("${BENCH[@]}") ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "install-deps: unknown option: $arg" >&2; exit 2 ;;
  esac
done

installed() {
  case "$1" in
    # NodeSource's nodejs provides (and conflicts with) Debian's npm: accept any working command.
    nodejs) command -v node >/dev/null 2>&1 && return 0 ;;
    npm) command -v npm >/dev/null 2>&1 && return 0 ;;
  esac
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]
}

missing=()
declare -A seen=()
for p in "${want[@]}"; do
  [ -n "${seen[$p]:-}" ] && continue
  seen[$p]=1
  installed "$p" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#seen[@]} packages present"
  exit 0
fi

SUDO=()
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  SUDO=(sudo)
fi

echo "install-deps: installing ${missing[*]}"
# Update the lists only if apt cannot see a candidate for something we need (fresh machine).
need_update=0
for p in "${missing[@]}"; do
  cand=$(apt-cache policy "$p" 2>/dev/null | awk '/Candidate:/{print $2}')
  if [ -z "$cand" ] || [ "$cand" = "(none)" ]; then need_update=1; break; fi
done
if [ $need_update = 1 ]; then
  "${SUDO[@]}" apt-get update
fi
# A stale list can name a version the mirror no longer has: update once and retry.
"${SUDO[@]}" apt-get install -y --no-install-recommends "${missing[@]}" </dev/null ||
  { "${SUDO[@]}" apt-get update && "${SUDO[@]}" apt-get install -y --no-install-recommends "${missing[@]}" </dev/null; }
