#!/usr/bin/env bash
# System packages the test suite needs beyond Python: PostgreSQL (the store's contract tests start a
# throwaway server) and python3-venv. Installs what is missing with apt-get when run as root;
# otherwise says what to install. Used by `make test` and `.ci/run`.
set -euo pipefail

missing=()
if ! python3 -c "import venv, ensurepip" >/dev/null 2>&1; then missing+=(python3-venv); fi
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  missing+=(postgresql)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing ${missing[*]} …"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "The tests need: ${missing[*]} (e.g. sudo apt-get install ${missing[*]})." >&2
  exit 1
fi
