#!/usr/bin/env bash
# corpus.sh — build the test/benchmark corpus into ${TESSERA_CORPUS:-$HOME/.cache/tessera-corpus}
# with the team's make-corpus.sh, found at ../shared/corpus/make-corpus.sh beside the repo or
# at $TESSERA_CORPUS_SCRIPT. Idempotent: make-corpus.sh skips outputs that already exist.
# Without the script it prints why and exits 0 (corpus tests then skip), or 1 when
# TESSERA_REQUIRE_CORPUS=1 (as in CI).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CORPUS=${TESSERA_CORPUS:-$HOME/.cache/tessera-corpus}
SCRIPT=${TESSERA_CORPUS_SCRIPT:-$ROOT/../shared/corpus/make-corpus.sh}

if [ ! -f "$SCRIPT" ]; then
  echo "corpus.sh: no corpus script at $SCRIPT" >&2
  echo "corpus.sh: set TESSERA_CORPUS_SCRIPT=/path/to/make-corpus.sh to build the corpus;" >&2
  if [ "${TESSERA_REQUIRE_CORPUS:-0}" = 1 ]; then
    echo "corpus.sh: TESSERA_REQUIRE_CORPUS=1, so this is an error." >&2
    exit 1
  fi
  echo "corpus.sh: tests that need it will skip." >&2
  exit 0
fi

# Another make-corpus.sh writing the same target would race with us: wait for it.
while pgrep -f "make-corpus.sh $CORPUS\$" >/dev/null 2>&1; do
  echo "corpus.sh: another make-corpus.sh is building $CORPUS; waiting..." >&2
  sleep 10
done

echo "corpus.sh: building corpus in $CORPUS (first run ~3 min and ~340 MB download; re-runs ~20 s)"
start=$SECONDS
bash "$SCRIPT" "$CORPUS"
echo "corpus.sh: corpus ready in $CORPUS ($((SECONDS - start)) s)"
