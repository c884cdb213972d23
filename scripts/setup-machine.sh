#!/usr/bin/env bash
# Idempotent machine setup shared by CI and the README: system packages, npm packages, a running
# PostgreSQL with the test database's password, and the Temporal CLI + test server in the cache.
set -euo pipefail
cd "$(dirname "$0")/.."

# chromium: the staff console's browser tests drive it through playwright-core (Playwright's own download is unreachable).
apt_packages=(postgresql libbusiness-hours-perl python3-holidays maven default-jdk-headless golang-go chromium)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
# Go, Java and Maven may come from elsewhere than Debian (they do on the standard image).
command -v go >/dev/null && missing=("${missing[@]/golang-go}")
command -v java >/dev/null && missing=("${missing[@]/default-jdk-headless}")
command -v mvn >/dev/null && missing=("${missing[@]/maven}")
read -r -a missing <<<"${missing[*]}"
if ((${#missing[@]})); then
  echo "[setup] installing: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[setup] npm ci"
  npm ci --no-audit --no-fund
fi

if [ -z "${DATABASE_URL:-}" ] || [[ "${DATABASE_URL}" == *"@127.0.0.1:5432/"* ]]; then
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  if ! pg_lsclusters -h | grep -q "^${version} main .* online"; then
    echo "[setup] starting PostgreSQL ${version}"
    pg_lsclusters -h | grep -q "^${version} main" || pg_createcluster "${version}" main >/dev/null
    pg_ctlcluster "${version}" main start
  fi
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  su postgres -c "psql -qc \"alter user postgres password 'postgres'\"" >/dev/null
fi

npm run --silent provision
