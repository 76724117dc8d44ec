#!/usr/bin/env bash
# ./run.sh            provision PostgreSQL + pgvector if missing, build, migrate, seed and embed the demo
#                     collection, and serve the gallery at http://localhost:5080
# ./run.sh cli VERB   the operator CLI (import-folder, embed, seed-demo, bench …) after the same provisioning
set -euo pipefail
cd "$(dirname "$0")"
source scripts/provision.sh

command -v dotnet >/dev/null || ag_die "the .NET 10 SDK is required (dotnet on PATH)"
ag_provision_database
export Storage__DataDirectory=${Storage__DataDirectory:-$AG_DATA/images}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# Build only when a source file changed since the last build: a second start stays fast.
stamp=$AG_DATA/build.stamp
if [ ! -f "$stamp" ] || [ -n "$(find src migrations models Directory.Build.props Directory.Packages.props global.json -newer "$stamp" -type f -print -quit 2>/dev/null)" ]; then
  ag_log "building (Release)"
  dotnet build ArtGallery.sln -c Release -v quiet -nologo -clp:ErrorsOnly >&2 || ag_die "build failed"
  touch "$stamp"
fi

cli=src/ArtGallery.Cli/bin/Release/net10.0/artgallery.dll

if [ "${1:-}" = "cli" ]; then
  shift
  exec dotnet "$cli" "$@"
fi

# The demo collection is the default content; seeding is idempotent and a no-op once done.
if [ "${ARTGALLERY_SEED_DEMO:-1}" = "1" ]; then
  dotnet "$cli" seed-demo --count "${ARTGALLERY_DEMO_COUNT:-600}"
fi

if [ -z "${ARTGALLERY_ADMIN_EMAIL:-}${Accounts__InitialAdmin__Email:-}" ]; then
  ag_log "first admin: while no account is an admin, start with ARTGALLERY_ADMIN_EMAIL=you@example.org ARTGALLERY_ADMIN_PASSWORD='…' ./run.sh to create one (the app logs a warning below if none exists)"
fi
ag_log "serving http://localhost:${ARTGALLERY_PORT:-5080}"
export ASPNETCORE_URLS=${ASPNETCORE_URLS:-http://localhost:${ARTGALLERY_PORT:-5080}}
export ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Production}
cd src/ArtGallery.Web/bin/Release/net10.0
exec dotnet ArtGallery.Web.dll
