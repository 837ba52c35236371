#!/usr/bin/env bash
# test.sh — the whole test suite: dependencies, build, corpus, then every unit and integration
# test through ctest.
#
#   usage:  bash scripts/test.sh [extra ctest options, e.g. -L unit or -R Orientation]
#   env:    TESSERA_CORPUS          corpus folder (default $HOME/.cache/tessera-corpus)
#           TESSERA_CORPUS_SCRIPT   make-corpus.sh, if not at ../shared/corpus/ beside the repo
#           TESSERA_REQUIRE_CORPUS=1  corpus tests fail instead of skipping when files are missing
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export TESSERA_CORPUS=${TESSERA_CORPUS:-$HOME/.cache/tessera-corpus}

bash scripts/install-deps.sh --test
bash scripts/build.sh
bash scripts/corpus.sh
ctest --test-dir build --output-on-failure -j2 "$@"
