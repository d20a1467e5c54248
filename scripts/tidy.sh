#!/usr/bin/env bash
# `make tidy`: clang-tidy over server/ with the repo's .clang-tidy (every finding an error).
# Debian 12's clang-tidy-16 is the oldest that parses our C++23: it calls the standard c++2b,
# and libstdc++ 12 hides <expected> unless __cpp_concepts reads 202002, which clang 16 can
# compile but does not announce (it says 201907). clang-tidy-14 cannot parse <expected> at all.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}

work=$(mktemp -d "${TMPDIR:-/tmp}/idpd-tidy.XXXXXX")
trap 'rm -rf "$work"' EXIT
sed 's/-std=c++23/-std=c++2b/g' "$build_dir/compile_commands.json" >"$work/compile_commands.json"
run-clang-tidy-16 -quiet -j "$(nproc)" -p "$work" -clang-tidy-binary clang-tidy-16 \
  -extra-arg=-U__cpp_concepts -extra-arg=-D__cpp_concepts=202002L "$(pwd)/server/"
