#!/bin/sh
# Temporal's PostgreSQL schema, run by compose's temporal-schema job (temporalio/admin-tools) before the
# server starts. Idempotent: on an existing database update-schema applies only newer versions, so the
# job may run on every `docker compose up`; only a database without Temporal's tables gets setup-schema.
set -eu
: "${POSTGRES_SEEDS:?}" "${POSTGRES_USER:?}" "${SQL_PASSWORD:?}"
schema=${TEMPORAL_SCHEMA_DIR:-/etc/temporal/schema/postgresql/v12}
for db in "${DBNAME:-temporal}:temporal" "${VISIBILITY_DBNAME:-temporal_visibility}:visibility"; do
  name=${db%%:*}
  dir=$schema/${db#*:}/versioned
  tool="temporal-sql-tool --plugin postgres12 --ep $POSTGRES_SEEDS -p ${DB_PORT:-5432} -u $POSTGRES_USER --db $name"
  $tool create 2>/dev/null || echo "database $name exists"
  if ! $tool update-schema -d "$dir"; then
    $tool setup-schema -v 0.0
    $tool update-schema -d "$dir"
  fi
done
echo 'Temporal schema up to date'
