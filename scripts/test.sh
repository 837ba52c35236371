#!/usr/bin/env bash
# test.sh — the whole test suite: dependencies, build, corpus, then every unit and integration
# test through ctest.
#
#   usage:  bash scripts/test.sh [extra ctest options, e.g. -L unit or -R Orientation]
#   env:    TESSERA_CORPUS          corpus folder (default $HOME/.cache/tessera-corpus)
#           TESSERA_CORPUS_SCRIPT   make-corpus.sh, if not at ../shared/corpus/ beside the repo
#           TESSERA_REQUIRE_CORPUS=1  corpus tests fail instead of skipping when files are missing
#           TESSERA_PG_URL          PostgreSQL for the catalog tests (default: a local server
#                                   that scripts/postgres-test.sh installs and starts)
#           TESSERA_REQUIRE_POSTGRES=1  PostgreSQL tests fail instead of skipping
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export TESSERA_CORPUS=${TESSERA_CORPUS:-$HOME/.cache/tessera-corpus}

bash scripts/install-deps.sh --test
# The PostgreSQL catalog tests: a local server unless TESSERA_PG_URL already names one.
TESSERA_PG_URL=${TESSERA_PG_URL:-$(bash scripts/postgres-test.sh)}
export TESSERA_PG_URL
bash scripts/build.sh
bash scripts/corpus.sh
ctest --test-dir build --output-on-failure -j2 "$@"
