#!/usr/bin/env bash
# ./test.sh   every test: unit, integration (real PostgreSQL + pgvector), component (bUnit) and
#             browser (Playwright driving Debian's Chromium). Installs what it needs itself.
#             Extra arguments go to `dotnet test` (e.g. --filter FullyQualifiedName~Similarity).
set -euo pipefail
cd "$(dirname "$0")"
source scripts/provision.sh

command -v dotnet >/dev/null || ag_die "the .NET 10 SDK is required (dotnet on PATH)"
ag_provision_database

# Browser tests drive Debian's Chromium; Playwright never downloads a browser of its own.
if [ ! -x /usr/bin/chromium ]; then
  ag_apt_install chromium
fi
export CHROMIUM_PATH=${CHROMIUM_PATH:-/usr/bin/chromium}
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# Drops the test databases whose names match $1 (a regular expression) on the private cluster.
drop_test_databases() {
  [[ "$ConnectionStrings__Gallery" == *Host=127.0.0.1* ]] && [ -n "${AG_PG_HOME:-}" ] || return 0
  local bindir port db
  bindir=$(ag_pg_bindir)
  port=$(sed -E 's/.*Port=([0-9]+).*/\1/' <<<"$ConnectionStrings__Gallery")
  for db in $(PGPASSWORD=$AG_PG_PASSWORD "$bindir/psql" -h 127.0.0.1 -p "$port" -U artgallery -d postgres -tAc "select datname from pg_database where datname ~ '$1'"); do
    PGPASSWORD=$AG_PG_PASSWORD "$bindir/psql" -h 127.0.0.1 -p "$port" -U artgallery -d postgres -qc "drop database if exists \"$db\" with (force)" >/dev/null || true
  done
}

# Test databases a killed run left behind.
drop_test_databases '^ag_(test|template|migr|web)_'

# One demo template for every test project of this run, built by whichever needs it first (TestDatabase):
# each building its own, side by side on two cores, cost minutes. Dropped, with its images, after the run.
export AG_TEST_TEMPLATE="ag_template_$$_run"
trap 'drop_test_databases "^${AG_TEST_TEMPLATE}\$"; rm -rf "${TMPDIR:-/tmp}/artgallery-tests/$AG_TEST_TEMPLATE"' EXIT

ag_log "building (Release)"
dotnet build ArtGallery.sln -c Release -v quiet -nologo -clp:ErrorsOnly >&2 || ag_die "build failed"

results=$AG_DATA/test-results
rm -rf "$results"
status=0
dotnet test ArtGallery.sln -c Release --no-build --logger "trx" --results-directory "$results" \
  --logger "console;verbosity=normal" "$@" || status=$?

# One closing line over every test project, from the TRX files.
cat "$results"/*.trx 2>/dev/null | grep -o '<Counters [^>]*' | awk '
  { for (i = 2; i <= NF; i++) { split($i, kv, "="); gsub(/"/, "", kv[2]); c[kv[1]] += kv[2] } }
  END { printf "tests: %d passed, %d failed, %d skipped\n", c["passed"], c["failed"] + c["error"] + c["timeout"], c["notExecuted"] }'  || true
exit $status
