#!/usr/bin/env bash
# server.sh — tessera's media server against nginx on one cached, authenticated thumbnail.
#
#   usage:  bash bench/server.sh             (after scripts/corpus.sh; builds tessera if needed)
#   env:    TESSERA_BIN        the command to measure (default build-bench/tessera, built Release
#                              from this tree, or brought up to date, first)
#           TESSERA_CORPUS     corpus folder (default $HOME/.cache/tessera-corpus)
#           BENCH_PHOTO        the photo whose square thumbnail is served (default: the first JPEG
#                              of the corpus's photos/)
#           BENCH_THREADS      server threads to compare (default "1 2": one tessera HTTP thread
#                              against one nginx worker, then two against two)
#           BENCH_WRK_THREADS  wrk's threads (default: N, as many as the server's; 1 keeps wrk
#                              on one core, as the issue's `wrk -t1` example)
#           BENCH_ROUNDS       interleaved rounds per setting (default 3; medians reported)
#           BENCH_DURATION     one wrk run (default 10s); BENCH_CONNECTIONS (default 64)
#           BENCH_DIAG=0       skip the diagnostic rows (tessera's /api/health, CPU per request)
#           BENCH_PROFILE=1    also sample tessera under load with `perf record` (if it works)
#
# One photo is scanned into a fresh data folder; then `tessera serve --threads N` serves its
# square thumbnail (GET /media/square_thumbnails/<hash> with an "Authorization: Bearer" access
# token), and nginx, unprivileged in the foreground with N workers, sendfile on, no access log,
# serves the very same stored file. wrk runs `-tN -c64 -d10s --latency` against each in turn,
# with the same header. Results: bench/out/server.txt. See bench/README.md.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
export LC_ALL=C VIPS_WARNING=0

CORPUS=${TESSERA_CORPUS:-$HOME/.cache/tessera-corpus}
TESSERA=${TESSERA_BIN:-$ROOT/build-bench/tessera}
THREADS_LIST=${BENCH_THREADS:-1 2}
ROUNDS=${BENCH_ROUNDS:-3}
DURATION=${BENCH_DURATION:-10s}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
WRK_THREADS=${BENCH_WRK_THREADS:-}
OUT=$ROOT/bench/out
WORK=$OUT/server
RESULTS=$OUT/server.txt

say() { echo "server.sh: $*"; }
die() { echo "server.sh: $*" >&2; exit 1; }

# --- what it needs ------------------------------------------------------------------------------
have_nginx() { command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; }  # /usr/sbin: not on every PATH
if ! command -v wrk >/dev/null || ! have_nginx || ! command -v curl >/dev/null; then
  bash scripts/install-deps.sh --bench
  missing=()
  command -v wrk >/dev/null || missing+=(wrk)
  have_nginx || missing+=(nginx-light)
  command -v curl >/dev/null || missing+=(curl)
  if [ ${#missing[@]} -gt 0 ]; then
    SUDO=(); [ "$(id -u)" = 0 ] || SUDO=(sudo)
    say "installing ${missing[*]}"
    "${SUDO[@]}" apt-get install -y --no-install-recommends "${missing[@]}" </dev/null ||
      { "${SUDO[@]}" apt-get update && "${SUDO[@]}" apt-get install -y --no-install-recommends "${missing[@]}" </dev/null; }
  fi
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
mkdir -p "$OUT"
if [ -z "${TESSERA_BIN:-}" ]; then
  # Up to date with this tree (a no-op when it is): a stale binary would measure old code.
  say "building $TESSERA (Release; nothing to do when up to date)"
  [ -f build-bench/build.ninja ] || cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build-bench --target tessera tessera-helper >"$OUT/build-bench.log" 2>&1 ||
    die "building failed (see $OUT/build-bench.log)"
fi
[ -x "$TESSERA" ] || die "$TESSERA is not executable"
PHOTO=${BENCH_PHOTO:-$(find "$CORPUS/photos" -maxdepth 1 -type f -iname '*.jpg' 2>/dev/null | sort | sed -n 1p)}
[ -n "$PHOTO" ] && [ -f "$PHOTO" ] || die "no photo (run scripts/corpus.sh, or set BENCH_PHOTO)"

# --- set-up: one photo, scanned; a token ------------------------------------------------------------
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

rm -rf "$WORK" && mkdir -p "$WORK/library" "$WORK/data"
cp "$PHOTO" "$WORK/library/"
"$TESSERA" scan --data "$WORK/data" --library "$WORK/library" --user bench --workers 1 --no-faces \
  >"$WORK/scan.log" 2>&1 || die "tessera scan failed (see $WORK/scan.log)"
TOKEN=$("$TESSERA" user token bench --data "$WORK/data" --ttl 86400)
AUTH="Authorization: Bearer $TOKEN"

# A port nothing listens on now (from the ephemeral range's upper end, where few connections go).
free_port() {
  local port i
  for ((i = 0; i < 50; i++)); do
    port=$((50000 + RANDOM % 10000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return 0; }
  done
  die "no free port found"
}

# Starts `tessera serve --threads N`; sets TESSERA_PID and TESSERA_PORT.
start_tessera() {
  local log="$WORK/tessera-$1.log" i
  : >"$log"
  "$TESSERA" serve --data "$WORK/data" --port 0 --threads "$1" --workers 1 \
    --no-scan --no-watch --no-faces >"$log" 2>&1 &
  TESSERA_PID=$!
  PIDS+=("$TESSERA_PID")
  for ((i = 0; i < 100; i++)); do
    TESSERA_PORT=$(sed -n 's|.*serving .* at http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$log")
    [ -n "$TESSERA_PORT" ] && return 0
    kill -0 "$TESSERA_PID" 2>/dev/null || die "tessera serve exited (see $log)"
    sleep 0.1
  done
  die "tessera serve did not start in 10 s (see $log)"
}

# Starts nginx with N workers serving FILE at /square.jpg; sets NGINX_PID and NGINX_PORT.
start_nginx() {
  local workers=$1 file=$2 prefix="$WORK/nginx-$1" i
  mkdir -p "$prefix"
  NGINX_PORT=$(free_port)
  sed -e "s|@PREFIX@|$prefix|g" -e "s|@PORT@|$NGINX_PORT|g" -e "s|@WORKERS@|$workers|g" \
      -e "s|@FILE@|$file|g" -e "s|@USER@|$(id -un)|g" -e "s|@GROUP@|$(id -gn)|g" \
      bench/nginx.conf.in >"$prefix/nginx.conf"
  "$NGINX" -p "$prefix" -e "$prefix/error.log" -c "$prefix/nginx.conf" >"$prefix/stdout.log" 2>&1 &
  NGINX_PID=$!
  PIDS+=("$NGINX_PID")
  for ((i = 0; i < 100; i++)); do
    curl -fso /dev/null "http://127.0.0.1:$NGINX_PORT/square.jpg" && return 0
    kill -0 "$NGINX_PID" 2>/dev/null || die "nginx exited (see $prefix/error.log)"
    sleep 0.1
  done
  die "nginx did not start in 10 s (see $prefix/error.log)"
}

stop() {  # PID: SIGTERM, then wait
  kill -TERM "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# CPU ticks (user + sys) used so far by PID and its children (nginx's workers).
cpu_ticks() {
  local pids=("$1") total=0 p
  mapfile -t -O 1 pids < <(pgrep -P "$1" || true)
  for p in "${pids[@]}"; do
    [ -r "/proc/$p/stat" ] || continue
    total=$((total + $(awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$p/stat")))
  done
  echo "$total"
}
TICK_US=$((1000000 / $(getconf CLK_TCK)))

# wrk THREADS URL PID LABEL: sets RPS_, P99_ (ms) and CPU_ (server CPU microseconds per request);
# wrk's own output goes to $WORK/wrk-NN-LABEL.txt.
RUN=0
run_wrk() {
  local threads=$1 url=$2 pid=$3 label=$4 file before after reqs
  RUN=$((RUN + 1))
  file="$WORK/wrk-$(printf '%02d' $RUN)-$label.txt"
  before=$(cpu_ticks "$pid")
  wrk -t"${WRK_THREADS:-$threads}" -c"$CONNECTIONS" -d"$DURATION" --latency -H "$AUTH" "$url" >"$file" 2>&1 ||
    die "wrk failed (see $file)"
  after=$(cpu_ticks "$pid")
  if grep -q -e 'Non-2xx' -e 'Socket errors' "$file"; then
    say "WARNING: $label: $(grep -e 'Non-2xx' -e 'Socket errors' "$file" | tr -s ' ' | tr '\n' ' ')"
  fi
  RPS_=$(awk '/^Requests\/sec:/ { print $2 }' "$file")
  P99_=$(awk '$1 == "99%" { v = $2; u = v; sub(/[a-z]+$/, "", v); sub(/^[0-9.]+/, "", u);
          f = (u == "us") ? 0.001 : (u == "s") ? 1000 : (u == "m") ? 60000 : 1; printf "%.2f", v * f }' "$file")
  reqs=$(awk '/requests in/ { print $1 }' "$file")
  CPU_=$(awk -v t=$((after - before)) -v us=$TICK_US -v n="$reqs" 'BEGIN { printf "%.1f", n ? t * us / n : 0 }')
}
median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { if (NR) printf "%.2f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; else printf "-" }'; }

# --- the stored file, and a check that both servers send the same bytes ---------------------------
start_tessera 1
HASH=$(curl -fsS -H "$AUTH" "http://127.0.0.1:$TESSERA_PORT/api/photos?limit=1" |
       grep -o '"hash" *: *"[0-9a-f]*"' | sed -n 1p | sed 's/.*"\([0-9a-f]*\)"$/\1/')
[ -n "$HASH" ] || die "no photo listed by /api/photos (see $WORK/scan.log)"
URL_PATH="/media/square_thumbnails/$HASH"
STORED=$(find "$WORK/data" -type f -path '*square_thumbnails*' -name "$HASH*" | sed -n 1p)
[ -n "$STORED" ] || die "the stored square thumbnail of $HASH is not under $WORK/data"
curl -fsS -H "$AUTH" -o "$WORK/from-tessera.jpg" "http://127.0.0.1:$TESSERA_PORT$URL_PATH"
stop "$TESSERA_PID"
cmp -s "$WORK/from-tessera.jpg" "$STORED" || die "tessera did not send the stored file $STORED"

{
  echo "server.sh: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "  $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "  tessera: $TESSERA ($("$TESSERA" --version 2>/dev/null | sed -n 1p || echo '?'))"
  echo "  nginx: $("$NGINX" -v 2>&1 | sed 's/.*: //'); wrk: $(wrk -v 2>&1 | sed -n 1p | cut -d' ' -f1-2)"
  echo "  file: $URL_PATH = $(basename "$STORED"), $(stat -c %s "$STORED") bytes (square thumbnail of $(basename "$PHOTO"))"
  echo "  wrk -t${WRK_THREADS:-N} -c$CONNECTIONS -d$DURATION --latency -H 'Authorization: Bearer <access token>', $ROUNDS interleaved rounds"
} | tee "$RESULTS"

declare -A RPS P99 CPU
for n in $THREADS_LIST; do
  start_tessera "$n"
  start_nginx "$n" "$STORED"
  curl -fsS -o "$WORK/from-nginx.jpg" "http://127.0.0.1:$NGINX_PORT/square.jpg"
  cmp -s "$WORK/from-nginx.jpg" "$STORED" || die "nginx did not send the stored file"
  t_url="http://127.0.0.1:$TESSERA_PORT$URL_PATH"
  n_url="http://127.0.0.1:$NGINX_PORT/square.jpg"
  # Warm-up: connections, page cache, lazily built state.
  DURATION=2s run_wrk "$n" "$t_url" "$TESSERA_PID" "warmup-tessera-$n"
  DURATION=2s run_wrk "$n" "$n_url" "$NGINX_PID" "warmup-nginx-$n"
  for ((r = 1; r <= ROUNDS; r++)); do
    for who in tessera nginx; do
      if [ $who = tessera ]; then url=$t_url pid=$TESSERA_PID; else url=$n_url pid=$NGINX_PID; fi
      run_wrk "$n" "$url" "$pid" "$who-$n"
      RPS[$who$n]+="$RPS_ " P99[$who$n]+="$P99_ " CPU[$who$n]+="$CPU_ "
      printf '  round %d  %-8s %d thread(s)  %10.0f req/s  p99 %7.2f ms  %6.1f CPU-us/req\n' \
        "$r" "$who" "$n" "$RPS_" "$P99_" "$CPU_" | tee -a "$RESULTS"
    done
  done
  if [ "${BENCH_DIAG:-1}" = 1 ]; then
    # The HTTP stack alone: no token, no catalog, no file.
    run_wrk "$n" "http://127.0.0.1:$TESSERA_PORT/api/health" "$TESSERA_PID" "health-$n"
    RPS[health$n]=$RPS_ P99[health$n]=$P99_ CPU[health$n]=$CPU_
  fi
  if [ "${BENCH_PROFILE:-0}" = 1 ] && command -v perf >/dev/null; then
    # 5 s of samples inside an 8 s run; DWARF call graphs, since the build keeps no frame pointers.
    (sleep 1; perf record -e cpu-clock -F 499 --call-graph dwarf,16384 -p "$TESSERA_PID" \
       -o "$WORK/perf-$n.data" -- sleep 5 >"$WORK/perf-$n.log" 2>&1 || true) &
    DURATION=8s run_wrk "$n" "$t_url" "$TESSERA_PID" "profile-$n"
    wait $! 2>/dev/null || true
    {
      echo "== self time, by library and symbol"
      perf report -i "$WORK/perf-$n.data" --no-children --stdio --sort dso,symbol -g none 2>/dev/null |
        grep -v -e '^#' -e '^$' | sed -n 1,40p
      echo "== time including callees, tessera's functions"
      perf report -i "$WORK/perf-$n.data" --children --stdio --sort symbol -g none 2>/dev/null |
        grep -e 'tessera::' -e 'sqlite3_step' -e 'jwt_decode' | sed -n 1,40p
    } | cut -c1-160 >"$WORK/perf-$n.txt" || true
    say "profile of tessera under load: $WORK/perf-$n.txt"
  fi
  stop "$TESSERA_PID"
  stop "$NGINX_PID"
done

# --- the table ----------------------------------------------------------------------------------
{
  echo
  printf '%-30s %12s %10s %9s %12s\n' "server (medians of $ROUNDS)" "req/s" "p99 ms" "CPU us" "rate vs"
  printf '%-30s %12s %10s %9s %12s\n' "" "" "" "per req" "nginx"
  for n in $THREADS_LIST; do
    ref=$(median <<<"${RPS[nginx$n]}")
    for who in tessera nginx; do
      rps=$(median <<<"${RPS[$who$n]}")
      printf '%-30s %12.0f %10s %9s %11.2fx\n' "$who, $n thread(s)/worker(s)" "$rps" \
        "$(median <<<"${P99[$who$n]}")" "$(median <<<"${CPU[$who$n]}")" "$(awk -v a="$rps" -v b="$ref" 'BEGIN { print a / b }')"
    done
    if [ -n "${RPS[health$n]:-}" ]; then
      printf '%-30s %12.0f %10s %9s %11.2fx\n' "  tessera /api/health (1 run)" "${RPS[health$n]}" \
        "${P99[health$n]}" "${CPU[health$n]}" "$(awk -v a="${RPS[health$n]}" -v b="$ref" 'BEGIN { print a / b }')"
    fi
  done
  echo "(rate vs nginx = tessera's median req/s / nginx's, same settings: the target is >= 0.70x,"
  echo " with p99 under 5 ms; CPU us per req = the server's user + sys CPU time / requests served;"
  echo " /api/health: tessera's HTTP stack alone, no token check, no catalog lookup, no file)"
} | tee -a "$RESULTS"
say "results in $RESULTS; wrk outputs and logs in $WORK/"
