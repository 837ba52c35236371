#!/usr/bin/env bash
# dbus.sh — tessera's D-Bus thumbnail service against tumbler's tumblerd, in one run, interleaved.
#
#   usage:  bash bench/dbus.sh              (after scripts/build.sh and scripts/corpus.sh)
#   env:    TESSERA_CORPUS   corpus folder (default $HOME/.cache/tessera-corpus)
#           BENCH_PHOTOS     the folder queued (default $TESSERA_CORPUS/photos)
#           BENCH_ROUNDS     interleaved rounds (default 3; the median is reported)
#           BENCH_FLAVOR     thumbnail flavor (default large)
#
# Each measurement starts a private session bus (dbus-daemon with its own configuration), starts
# the service on it with an empty $XDG_CACHE_HOME, waits until it owns
# org.freedesktop.thumbnails.Thumbnailer1, then times one Queue call with every photo (URIs and
# GIO's MIME types, the "default" scheduler) until that request's Finished signal
# (bench/dbus_queue.py, a GDBus client). The thumbnails written are counted afterwards.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
export LC_ALL=C.UTF-8 VIPS_WARNING=0
CORPUS=${TESSERA_CORPUS:-$HOME/.cache/tessera-corpus}
PHOTOS=${BENCH_PHOTOS:-$CORPUS/photos}
ROUNDS=${BENCH_ROUNDS:-3}
FLAVOR=${BENCH_FLAVOR:-large}
TESSERA=$ROOT/build/tessera
TUMBLERD=$(ls /usr/lib/*/tumbler-1/tumblerd 2>/dev/null | head -1 || true)
OUT=$ROOT/bench/out/dbus
[ -x "$TESSERA" ] || { echo "dbus.sh: build first (scripts/build.sh)" >&2; exit 1; }
[ -n "$TUMBLERD" ] || { echo "dbus.sh: install tumbler (scripts/install-deps.sh --bench)" >&2; exit 1; }
/usr/bin/python3 -c "import gi" 2>/dev/null || { echo "dbus.sh: needs python3-gi" >&2; exit 1; }
mapfile -t FILES < <(find "$PHOTOS" -maxdepth 1 -type f | sort)
N=${#FILES[@]}
[ "$N" -gt 0 ] || { echo "dbus.sh: no files in $PHOTOS" >&2; exit 1; }
# Read once, so that every run starts from a warm page cache.
cat "${FILES[@]}" >/dev/null

rm -rf "$OUT"; mkdir -p "$OUT"
BUS_PID=""; SERVICE_PID=""
cleanup() {
  [ -n "$SERVICE_PID" ] && kill "$SERVICE_PID" 2>/dev/null && wait "$SERVICE_PID" 2>/dev/null || true
  [ -n "$BUS_PID" ] && kill "$BUS_PID" 2>/dev/null || true
  SERVICE_PID=""; BUS_PID=""
}
trap cleanup EXIT

start_bus() {  # folder
  cat > "$1/session.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=$1/bus</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/>
  </policy>
</busconfig>
EOF
  dbus-daemon --config-file="$1/session.conf" --nofork --nopidfile >/dev/null 2>&1 &
  BUS_PID=$!
  for _ in $(seq 100); do [ -S "$1/bus" ] && return 0; sleep 0.05; done
  echo "dbus.sh: the bus did not start" >&2; exit 1
}

run() {  # tool round -> prints the client's JSON
  local tool=$1 dir="$OUT/$1-$2"
  mkdir -p "$dir/cache" "$dir/config" "$dir/data"
  start_bus "$dir"
  local env=(env DBUS_SESSION_BUS_ADDRESS="unix:path=$dir/bus" XDG_CACHE_HOME="$dir/cache"
             XDG_CONFIG_HOME="$dir/config" XDG_DATA_HOME="$dir/data")
  if [ "$tool" = tessera ]; then
    "${env[@]}" "$TESSERA" dbus-service --idle-timeout 0 >"$dir/service.log" 2>&1 &
  else
    "${env[@]}" "$TUMBLERD" >"$dir/service.log" 2>&1 &
  fi
  SERVICE_PID=$!
  /usr/bin/python3 "$ROOT/bench/dbus_queue.py" "unix:path=$dir/bus" "$FLAVOR" default "${FILES[@]}" \
    > "$dir/result.json"
  cleanup
  local made; made=$(find "$dir/cache/thumbnails/$FLAVOR" -name '*.png' 2>/dev/null | wc -l)
  /usr/bin/python3 - "$dir/result.json" "$made" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1])); r["written"] = int(sys.argv[2]); print(json.dumps(r))
EOF
}

declare -A T
echo "dbus.sh: $N files from $PHOTOS, flavor $FLAVOR, $ROUNDS rounds (interleaved)"
for r in $(seq "$ROUNDS"); do
  for tool in tessera tumbler; do
    line=$(run "$tool" "$r")
    echo "  round $r $tool: $line"
    T[$tool]+="$(/usr/bin/python3 -c 'import json,sys; print(json.loads(sys.argv[1])["seconds"])' "$line") "
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ts=$(echo "${T[tessera]}" | median); tu=$(echo "${T[tumbler]}" | median)
printf '\n%-12s %10s\n' "service" "Queue->Finished s (median)"
printf '%-12s %10.3f\n' tessera "$ts" tumblerd "$tu"
printf 'tessera is %.2fx tumblerd'"'"'s rate (tumblerd time / tessera time)\n' "$(echo "$tu / $ts" | bc -l)"
