#!/usr/bin/env bash
# Scale-out rehearsal (issue 13 item 7): two gunicorn servers on their own ports behind
# HAProxy (Debian's package; round robin, no sticky sessions), one PostgreSQL, one Redis.
# tests/load/scale_out_check.py then signs in on one server and carries on on the other,
# checks the sixth bad login is refused whichever server gets it, and that a publish is
# seen on both.
#
#   tests/load/scale_out.sh
#
# Run from the repository with its venv active; needs root (pg_createcluster) and
# `apt-get install haproxy`. Exits non-zero if any check fails.
set -euo pipefail

command -v haproxy >/dev/null || { echo "haproxy is needed: apt-get install haproxy" >&2; exit 2; }
# Its own cluster port, so it can run beside rehearse.sh.
PG_PORT=${PG_PORT:-5440}
# shellcheck source=tests/load/lib.sh
source "$(dirname "$0")/lib.sh"
PORT_A=${PORT_A:-8771}
PORT_B=${PORT_B:-8772}
PORT_LB=${PORT_LB:-8770}

DRIVERS=3 OFFICERS=0 database_prepare

say "gunicorn A on $PORT_A, gunicorn B on $PORT_B"
gunicorn_start "$PORT_A"
gunicorn_start "$PORT_B"

say "HAProxy on $PORT_LB"
cat >"$WORK/haproxy.cfg" <<EOF
global
    maxconn 256

defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s

frontend site
    bind 127.0.0.1:$PORT_LB
    # The client's address for the site's rate limits (TRUSTED_PROXY_COUNT=1).
    option forwardfor
    default_backend app_servers

backend app_servers
    balance roundrobin
    # No cookie or stick table: any server must be able to answer any request.
    option httpchk GET /healthz
    http-check expect status 200
    # Which server answered, so the check can see the requests alternate.
    http-response set-header X-Served-By %s
    server a 127.0.0.1:$PORT_A check inter 2s
    server b 127.0.0.1:$PORT_B check inter 2s
EOF
haproxy -c -q -f "$WORK/haproxy.cfg"
haproxy -db -f "$WORK/haproxy.cfg" >"$WORK/haproxy.log" 2>&1 &
STARTED_PIDS+=($!)
healthy "http://127.0.0.1:$PORT_LB" 30 || fail "HAProxy did not come up"

say "Checks"
python "$LOAD_DIR/scale_out_check.py" --accounts "$WORK/accounts.json" \
  --server-a "http://127.0.0.1:$PORT_A" --server-b "http://127.0.0.1:$PORT_B" \
  --balancer "http://127.0.0.1:$PORT_LB"
