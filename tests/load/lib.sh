# Shared by rehearse.sh and scale_out.sh (sourced, not run): a throwaway PostgreSQL cluster,
# production settings served over plain http on 127.0.0.1, and gunicorn servers.
#
# The rehearsals stop PostgreSQL on purpose, so they get a cluster of their own
# (pg_createcluster, dropped at the end) rather than the machine's main one, which other
# work may be using. Redis is the machine's own, under a key prefix of this run's.

LOAD_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$LOAD_DIR/../.." && pwd)
WORK=$(mktemp -d /tmp/spot-the-signs-rehearsal.XXXXXX)
PG_VERSION=${PG_VERSION:-$(ls /etc/postgresql | sort -n | tail -n 1)}
PG_CLUSTER=${PG_CLUSTER:-rehearsal$$}
PG_PORT=${PG_PORT:-5439}
REDIS_DB=${REDIS_DB:-8}
STARTED_PIDS=()

say() { printf '\n==> %s\n' "$*"; }
fail() { printf '\nREHEARSAL FAILED: %s\n' "$*" >&2; exit 1; }

export DJANGO_SETTINGS_MODULE=training_site.settings.production
SECRET_KEY=$(python -c 'import secrets; print(secrets.token_urlsafe(50))')
export SECRET_KEY
CERTIFICATE_SIGNING_KEY=$(python -c 'from certificates.keys import key_generate_pem; print(key_generate_pem())')
export CERTIFICATE_SIGNING_KEY
export ALLOWED_HOSTS=127.0.0.1,localhost
export PUBLIC_BASE_URL=https://training.example.gov.uk
# Plain http on 127.0.0.1: no redirect to https (the clients send the Secure cookies back
# themselves, see browsing.py).
export SECURE_SSL_REDIRECT=false
# Clients name their own address in X-Forwarded-For, as a proxy would: locust's simulated
# phones each get one, and HAProxy adds the real one in the scale-out rehearsal.
export TRUSTED_PROXY_COUNT=1
export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/spot_the_signs_rehearsal"
export REDIS_URL="redis://127.0.0.1:6379/$REDIS_DB"
export CACHE_KEY_PREFIX="rehearsal-$$"
export STATIC_ROOT="$WORK/static" MEDIA_ROOT="$WORK/media"
export LOG_LEVEL=WARNING

cleanup() {
  local pid
  for pid in "${STARTED_PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${STARTED_PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  pg_dropcluster --stop "$PG_VERSION" "$PG_CLUSTER" 2>/dev/null || true
  redis-cli -n "$REDIS_DB" --scan --pattern "*$CACHE_KEY_PREFIX*" \
    | xargs -r redis-cli -n "$REDIS_DB" del >/dev/null || true
  rm -rf "$WORK/static" "$WORK/media"
  echo "Logs and figures kept in $WORK"
}
trap cleanup EXIT

manage() { python "$ROOT/manage.py" "$@"; }

database_prepare() {
  say "PostgreSQL $PG_VERSION cluster $PG_CLUSTER on port $PG_PORT, migrate, content, accounts"
  pg_createcluster --port "$PG_PORT" "$PG_VERSION" "$PG_CLUSTER" -- --auth=trust >/dev/null
  pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start
  createdb -h 127.0.0.1 -p "$PG_PORT" -U postgres spot_the_signs_rehearsal
  manage migrate --no-input -v 0
  manage collectstatic --no-input -v 0
  manage load_content -v 0
  python "$LOAD_DIR/setup_accounts.py" --drivers "${DRIVERS:-150}" \
    --officers "${OFFICERS:-40}" --out "$WORK/accounts.json"
}

# gunicorn_start PORT: $WORKERS (4) workers, in the background; waits until /healthz answers 200.
gunicorn_start() {
  local port=$1
  (cd "$ROOT" && exec gunicorn training_site.wsgi:application --bind "127.0.0.1:$port" \
    --workers "${WORKERS:-4}" --graceful-timeout 30 \
    --access-logfile "$WORK/access-$port.log" \
    --access-logformat '%(t)s %(p)s "%(r)s" %(s)s %(L)ss' \
    --error-logfile "$WORK/gunicorn-$port.log" >>"$WORK/gunicorn-$port.log" 2>&1) &
  GUNICORN_PID=$!
  STARTED_PIDS+=("$GUNICORN_PID")
  healthy "http://127.0.0.1:$port" 60 || fail "gunicorn on port $port did not come up"
}

# healthy URL SECONDS: wait for /healthz to answer 200.
healthy() {
  local _
  for _ in $(seq 1 "$2"); do
    [ "$(status_of "$1/healthz")" = 200 ] && return 0
    sleep 1
  done
  return 1
}

status_of() { curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$1"; }
