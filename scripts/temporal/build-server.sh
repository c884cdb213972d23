#!/usr/bin/env bash
# Builds the Temporal server and temporal-sql-tool from the Go module proxy into the shared cache, so the
# benchmarks can run a real server on PostgreSQL without Docker. Skips when both binaries already exist.
# Heavy on small machines: run as `nice scripts/temporal/build-server.sh > build.log 2>&1 &`.
set -euo pipefail

# Matches the temporalio/server image in docker-compose.yml; keep both in step.
version="${TEMPORAL_SERVER_VERSION:-v1.29.1}"
cache="${SUPPORTFLOW_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/supportflow}"
target="$cache/temporal-server/$version"

if [ -x "$target/temporal-server" ] && [ -x "$target/temporal-sql-tool" ] && [ -d "$target/schema/postgresql" ]; then
  echo "[build-server] $version already built in $target"
  exit 0
fi

mkdir -p "$target/bin.tmp"
started=$(date +%s)
# -mod=mod: the server module's go.mod is used as-is; GOTOOLCHAIN=auto lets an older Go fetch the one it asks for.
export GOFLAGS=-mod=mod GOTOOLCHAIN="${GOTOOLCHAIN:-auto}" GOBIN="$target/bin.tmp"
echo "[build-server] go install go.temporal.io/server/cmd/server@$version (and cmd/tools/sql)"
nice go install -trimpath -ldflags '-s -w' "go.temporal.io/server/cmd/server@$version" "go.temporal.io/server/cmd/tools/sql@$version"

# The schema files ship in the module source that go install just downloaded; copy them beside the binaries
# so the harness does not depend on GOMODCACHE staying put.
src="$(go env GOMODCACHE)/go.temporal.io/server@$version/schema"
rm -rf "$target/schema"
mkdir -p "$target/schema"
cp -r "$src/postgresql" "$target/schema/"
chmod -R u+w "$target/schema"

mv "$target/bin.tmp/server" "$target/temporal-server"
mv "$target/bin.tmp/sql" "$target/temporal-sql-tool"
rmdir "$target/bin.tmp"
echo "[build-server] built $version into $target in $(($(date +%s) - started))s"
