#!/usr/bin/env bash
# Fuzzes request-body parsing (fuzz/fuzz_targets/request_bodies.rs: parse_json and every
# request parser, plus the query, path-id and Idempotency-Key parsers) for a bounded time.
#
#   scripts/fuzz.sh [SECONDS]      default: $FUZZ_SECONDS, else 60
#
# - installs cargo-fuzz (pinned) with `cargo install` when it is missing;
# - builds with the nightly toolchain when rustup has one; otherwise with the stable
#   toolchain and RUSTC_BOOTSTRAP=1 (the sanitizer flags cargo-fuzz passes are unstable,
#   and a machine may have no other toolchain than stable);
# - runs libFuzzer with the seeds in fuzz/seeds/ and a JSON dictionary; new inputs go
#   to fuzz/corpus/ (not committed), a crash to fuzz/artifacts/, and the run fails.
# Needs no terminal (CI=true, no stdin).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-${FUZZ_SECONDS:-60}}"
if ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then
  echo "fuzz: SECONDS must be a whole number of seconds, at least 1 (got '$seconds')" >&2
  exit 2
fi
target=request_bodies
cargo_fuzz_version=0.13.2

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "==> installing cargo-fuzz $cargo_fuzz_version"
  cargo install cargo-fuzz --version "$cargo_fuzz_version" --locked
fi

toolchain=(+nightly)
if ! rustup run nightly rustc --version >/dev/null 2>&1; then
  echo "==> no nightly toolchain: building with stable and RUSTC_BOOTSTRAP=1"
  toolchain=(+stable)
  export RUSTC_BOOTSTRAP=1
fi

corpus="fuzz/corpus/$target"
mkdir -p "$corpus" target
log="$PWD/target/fuzz-$target.log"
echo "==> cargo ${toolchain[*]} fuzz run $target for ${seconds}s (log: target/fuzz-$target.log)"
set +e
(
  cd fuzz &&
    cargo "${toolchain[@]}" fuzz run "$target" "corpus/$target" "seeds/$target" -- \
      -max_total_time="$seconds" \
      -dict="$target.dict" \
      -max_len=8192 \
      -timeout=10 \
      -rss_limit_mb=2048 \
      -print_final_stats=1
) > "$log" 2>&1
status=$?
set -e
if [ "$status" -ne 0 ]; then
  tail -n 60 "$log" >&2
  echo "fuzz: $target failed (exit $status); a crashing input is kept in fuzz/artifacts/$target/" >&2
  echo "      reproduce: cd fuzz && cargo ${toolchain[*]} fuzz run $target artifacts/$target/<file>" >&2
  exit "$status"
fi
# What it did: the executions, their rate, the coverage and the corpus it reached.
grep -E '^(#[0-9]+[[:space:]]+DONE|Done [0-9]+ runs|stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb|new_units_added))' "$log"
