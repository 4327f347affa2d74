#!/usr/bin/env bash
# Installs every Debian 12 package inari's build, tests and benchmarks need.
# Idempotent: packages already installed are left alone; 'apt-get update' runs
# once per call and only when something is missing.
#   scripts/setup.sh          build + demo packages
#   scripts/setup.sh --test   also test, fuzz and benchmark packages
set -euo pipefail

build_pkgs=(
  g++ cmake ninja-build pkg-config make
  libsimdjson-dev libarchive-dev zlib1g-dev libdeflate-dev libcli11-dev libfmt-dev
  libyaml-cpp-dev libre2-dev libvectorscan-dev
  libsqlite3-dev                            # analytics state (--state)
  libpq-dev                                 # inari scope: customer table lookups
  python3
)
test_pkgs=(
  libgtest-dev libgmock-dev libbenchmark-dev
  python3-evtx libevtx-dev libevtx-utils    # independent parsers we compare against
  clang libclang-rt-14-dev                  # libFuzzer + sanitizers
  time unzip                                # peak RSS in bench/; fuzz seeds from OTRF zips
  postgresql postgresql-15-pgaudit          # the database test bed (a real server per test run)
  python3-psycopg                           # tools/pgbed drives it (run with /usr/bin/python3)
  pgbadger                                  # bench/pglog: the PostgreSQL log analyzer we compare against
)

want=("${build_pkgs[@]}")
if [[ "${1:-}" == "--test" ]]; then want+=("${test_pkgs[@]}"); fi

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]} == 0)); then
  echo "setup: all ${#want[@]} packages present"
  exit 0
fi

SUDO=""
if [[ "$(id -u)" -ne 0 ]]; then SUDO="sudo"; fi
echo "setup: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done"
