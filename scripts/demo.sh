#!/usr/bin/env bash
# Installs what the build needs, builds inari (Release) and hunts through the
# bundled demo logs (demo/data: a small company's logs with a breach in them).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DINARI_BUILD_TESTS=OFF >/dev/null
cmake --build build --target inari
echo
echo "== inari hunt --warmup 1d demo/data   (the demo spans 3 days: 1 day of learning)"
build/src/cli/inari hunt --warmup 1d demo/data
