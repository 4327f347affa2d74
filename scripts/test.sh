#!/usr/bin/env bash
# Installs everything, builds inari with tests, runs the whole suite through
# ctest (unit, corpus against python-evtx, fuzz smoke runs under ASan/UBSan).
#   INARI_FUZZ_SECONDS  seconds per fuzz target (default 60; 0 skips the fuzz build)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
jobs=$(nproc)

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DINARI_BUILD_TESTS=ON -DINARI_BUILD_BENCH=ON >/dev/null
cmake --build build -j "$jobs"

fuzz_seconds=${INARI_FUZZ_SECONDS:-60}
if [[ "$fuzz_seconds" != "0" ]]; then
  CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DINARI_BUILD_TESTS=OFF -DINARI_BUILD_FUZZ=ON -DINARI_FUZZ_SECONDS="$fuzz_seconds" >/dev/null
  cmake --build build-fuzz -j "$jobs"
fi

status=0
(cd build && ctest --output-on-failure -j "$jobs") || status=1
if [[ "$fuzz_seconds" != "0" ]]; then
  (cd build-fuzz && ctest --output-on-failure -j "$jobs") || status=1
fi
exit $status
