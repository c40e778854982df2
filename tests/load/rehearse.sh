#!/usr/bin/env bash
# Load and fault rehearsals (issue 13): gunicorn (4 workers, production settings) on a
# fresh PostgreSQL database and Redis, driven by tests/load/locustfile.py, each run
# followed by tests/load/check_db.py.
#
#   tests/load/rehearse.sh [load|pg-down|term|reload|all] [--run-time 2m] [--users "30 100"]
#                          [--fault-users 20]
#
#   load     locust headless at each --users count for --run-time, then the database check
#   pg-down  PostgreSQL stopped mid-load: what pages answer while it is down, and recovery
#            without restarting gunicorn
#   term     kill -TERM of the gunicorn master mid-load: requests in flight finish, then
#            gunicorn is started again
#   reload   kill -HUP of the gunicorn master mid-load (how a deploy restarts the code):
#            every request in flight or queued gets its answer, from the same master
#   all      (the default) the four in turn, on one database
#
# Run from the repository with its venv active and the "load" extra installed
# (pip install -e ".[load]"); needs root for pg_createcluster. Exits non-zero if locust
# saw failures in a load run or the database check finds anything.
set -euo pipefail

MODE=all
RUN_TIME=2m
USERS="30 100"
FAULT_USERS=20
while [ $# -gt 0 ]; do
  case $1 in
    load | pg-down | term | reload | all) MODE=$1 ;;
    --run-time) RUN_TIME=$2; shift ;;
    --users) USERS=$2; shift ;;
    --fault-users) FAULT_USERS=$2; shift ;;
    *) echo "usage: $0 [load|pg-down|term|reload|all] [--run-time 2m] [--users \"30 100\"]" >&2; exit 2 ;;
  esac
  shift
done

# shellcheck source=tests/load/lib.sh
source "$(dirname "$0")/lib.sh"
PORT=${PORT:-8765}
HOST="http://127.0.0.1:$PORT"

# locust_run NAME USERS [extra locust options]: headless, figures in $WORK/NAME_*.csv and the
# accepted writes in $WORK/NAME.events.jsonl.
locust_run() {
  local name=$1 users=$2
  shift 2
  : >"$WORK/$name.events.jsonl"
  LOAD_ACCOUNTS="$WORK/accounts.json" LOAD_EVENTS="$WORK/$name.events.jsonl" \
    locust -f "$LOAD_DIR/locustfile.py" --headless --host "$HOST" \
    --users "$users" --spawn-rate "$(((users + 9) / 10))" --run-time "$RUN_TIME" \
    --stop-timeout 10 --csv "$WORK/$name" --only-summary "$@" >"$WORK/$name.out" 2>&1
}

# The summary table locust prints at the end: requests, failures, percentiles.
locust_summary() { sed -n '/Type  *Name  *# reqs/,$p' "$WORK/$1.out"; }

db_check() { python "$LOAD_DIR/check_db.py" --events "$WORK/$1.events.jsonl"; }

# probe LABEL: status and Retry-After of the pages a learner or officer opens first.
probe() {
  local path code
  echo "-- $1"
  for path in / /courses/ "$ACCOUNT_CODE_PATH" /accounts/login/ /healthz; do
    code=$(curl -s -o "$WORK/probe.body" -D "$WORK/probe.headers" -w '%{http_code}' \
      --max-time 15 "$HOST$path" || true)
    printf '   %-28s %s  Retry-After: %s\n' "$path" "$code" \
      "$(grep -i '^retry-after:' "$WORK/probe.headers" | tr -d '\r' | cut -d' ' -f2 || true)"
  done
}

rehearse_load() {
  local users failed=0
  for users in $USERS; do
    say "Load: $users users for $RUN_TIME"
    locust_run "load-$users" "$users" || failed=1
    locust_summary "load-$users"
    db_check "load-$users" || failed=1
  done
  return $failed
}

rehearse_pg_down() {
  say "PostgreSQL stopped mid-load ($FAULT_USERS users for $RUN_TIME)"
  local master=$GUNICORN_PID started
  locust_run pg-down "$FAULT_USERS" &
  local locust_pid=$!
  sleep 15
  probe "before: PostgreSQL up"
  pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" stop -m fast
  sleep 5
  probe "PostgreSQL stopped"
  pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start
  started=$(date +%s)
  until [ "$(status_of "$HOST/courses/")" = 200 ]; do
    [ $(($(date +%s) - started)) -lt 60 ] || fail "no recovery within 60 s of PostgreSQL starting"
    sleep 1
  done
  echo "   /courses/ answered 200 again $(($(date +%s) - started)) s after PostgreSQL started"
  kill -0 "$master" || fail "the gunicorn master died while PostgreSQL was down"
  echo "   the same gunicorn master ($master) served throughout: no restart"
  probe "after: PostgreSQL started again"
  wait "$locust_pid" || true
  locust_summary pg-down
  db_check pg-down
}

# send_in_flight NAME: 8 page requests in the background, just before a signal.
send_in_flight() {
  local i
  IN_FLIGHT=()
  for i in 1 2 3 4 5 6 7 8; do
    curl -s -o "$WORK/$1-$i.body" -w '%{http_code} %{size_download}\n' --max-time 60 \
      "$HOST/courses/" >"$WORK/$1-$i.status" &
    IN_FLIGHT+=($!)
  done
  sleep 0.2
}

# in_flight_outcome NAME: what each request sent before the signal got, as "count status bytes".
in_flight_outcome() {
  wait "${IN_FLIGHT[@]}" || true
  echo "   requests in flight at the signal (count, status, bytes): $(cat "$WORK/$1"-*.status | sort | uniq -c | tr -s ' ' | tr '\n' ';')"
}

rehearse_term() {
  say "kill -TERM of the gunicorn master mid-load ($FAULT_USERS users for $RUN_TIME)"
  locust_run term "$FAULT_USERS" &
  local locust_pid=$!
  sleep 15
  send_in_flight term
  kill -TERM "$GUNICORN_PID"
  local stopped=$SECONDS
  wait "$GUNICORN_PID" || true
  echo "   gunicorn master exited $((SECONDS - stopped)) s after TERM"
  in_flight_outcome term
  sleep 5
  gunicorn_start "$PORT"
  echo "   gunicorn started again (master $GUNICORN_PID); locust carries on"
  wait "$locust_pid" || true
  locust_summary term
  db_check term
}

# A deploy reloads rather than stops: on HUP the master keeps the listening socket, starts
# new workers with the new code and lets the old ones finish, so nothing queued is dropped.
rehearse_reload() {
  say "kill -HUP of the gunicorn master mid-load ($FAULT_USERS users for $RUN_TIME)"
  locust_run reload "$FAULT_USERS" &
  local locust_pid=$! failed=0
  sleep 15
  send_in_flight reload
  kill -HUP "$GUNICORN_PID"
  in_flight_outcome reload
  if grep -qv '^200 ' "$WORK"/reload-*.status; then
    echo "   a request in flight at HUP did not get its page"
    failed=1
  fi
  kill -0 "$GUNICORN_PID" || fail "the gunicorn master exited on HUP"
  echo "   the same gunicorn master ($GUNICORN_PID) serves on: no restart"
  wait "$locust_pid" || true
  locust_summary reload
  if [ "$(failures_of reload)" != 0 ]; then
    echo "   locust saw $(failures_of reload) failures across the reload"
    failed=1
  fi
  db_check reload || failed=1
  return $failed
}

# failures_of NAME: the failure count on locust's Aggregated line.
failures_of() { awk -F, '$2 == "Aggregated" { print $4 }' "$WORK/$1_stats.csv"; }

database_prepare
ACCOUNT_CODE_PATH="/verify/$(python -c 'import json,sys; print(json.load(open(sys.argv[1]))["certificate_codes"][0])' "$WORK/accounts.json")/"
say "gunicorn on $HOST"
gunicorn_start "$PORT"

status=0
case $MODE in
  load) rehearse_load || status=1 ;;
  pg-down) rehearse_pg_down || status=1 ;;
  term) rehearse_term || status=1 ;;
  reload) rehearse_reload || status=1 ;;
  all)
    rehearse_load || status=1
    rehearse_pg_down || status=1
    rehearse_term || status=1
    rehearse_reload || status=1
    ;;
esac
say "Final database check"
python "$LOAD_DIR/check_db.py" || status=1
[ "$status" = 0 ] && say "Rehearsal clean" || say "Rehearsal found problems (see above)"
exit "$status"
