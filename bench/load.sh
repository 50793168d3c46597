#!/usr/bin/env bash
# Load test: gunicorn on loopback serving the registry in production mode, wrk driving it.
#
#   bench/load.sh [PATH|queries] [SECONDS] [CONNECTIONS]     defaults: / 30 64
#
# "queries" cycles through 200 distinct keyword/filter searches (bench/queries.lua).
# WORKERS (default 2) gunicorn workers of THREADS (default 4; 1: sync workers) threads each, as
# the README's production command runs them. With DATABASE_URL naming PostgreSQL and ITEMS set
# (e.g. ITEMS=300000), a fresh copy of the bench registry holding a plan of that many items
# (bench/harness.py); with DATABASE_URL unset, a throw-away copy of the harness's SQLite registry
# of the fixtures; otherwise DATABASE_URL's database, migrated and seeded. REDIS_URL, if
# set, is the cache the workers share. Prints requests/s, latency percentiles and errors; the
# bar is zero errors (socket errors and non-2xx/3xx responses), and the exit status says so.
# WRK_TIMEOUT (seconds; wrk's own 2 by default): a slower response counts as an error.
set -euo pipefail
cd "$(dirname "$0")/.."

TARGET=${1:-/}
DURATION=${2:-30}
CONNECTIONS=${3:-64}
WORKERS=${WORKERS:-2}
THREADS=${THREADS:-4}
PORT=${PORT:-8765}
ITEMS=${ITEMS:-0}

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
PY=.venv/bin/python
[ -x "$PY" ] || make install

workdir=$(mktemp -d)
bench_db=""
cleanup() {
    kill "${server_pid:-}" 2>/dev/null || true
    wait "${server_pid:-}" 2>/dev/null || true
    [ -n "$bench_db" ] && "$PY" bench/harness.py drop "$bench_db"
    rm -rf "$workdir"
}
trap cleanup EXIT

if [[ "${DATABASE_URL:-}" == postgres* && "$ITEMS" -gt 0 ]]; then
    bench_db=$("$PY" bench/harness.py big-copy "$ITEMS" load | tail -n 1)
    export DATABASE_URL="$bench_db"
elif [ -z "${DATABASE_URL:-}" ]; then
    bench_db=$("$PY" bench/harness.py registry-copy load | tail -n 1)
    export DATABASE_URL="$bench_db"
fi
export DJANGO_ENV=production SECRET_KEY=load-test-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz
export ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=false STATIC_ROOT="$workdir/static"
export REDIS_URL=${REDIS_URL:-}
if [ -z "$bench_db" ]; then
    "$PY" manage.py migrate --noinput -v0
    "$PY" manage.py seed_registry >/dev/null
fi
"$PY" manage.py collectstatic --noinput -v0

.venv/bin/gunicorn devolution.wsgi --bind "127.0.0.1:$PORT" --workers "$WORKERS" --threads "$THREADS" \
    --log-level warning --access-logfile /dev/null &
server_pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done

script=()
url_path=$TARGET
if [ "$TARGET" = queries ]; then
    script=(-s bench/queries.lua)
    url_path=/
fi
items=$("$PY" manage.py shell -c "from items.models import DevolvedItem; print(DevolvedItem.objects.count())" 2>/dev/null | tail -n 1)
echo "gunicorn: $WORKERS workers × $THREADS threads; database: ${DATABASE_URL%%:*}, $items items; $(nproc) cores; $(cut -d' ' -f1-3 /proc/loadavg) load"
echo "wrk: ${DURATION}s, $CONNECTIONS connections, 2 threads, GET $TARGET"
wrk --latency --timeout "${WRK_TIMEOUT:-2}s" -t2 -c "$CONNECTIONS" -d "${DURATION}s" "${script[@]}" "http://127.0.0.1:$PORT$url_path" \
    | tee "$workdir/wrk.txt"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
if grep -qE "Socket errors|Non-2xx or 3xx" "$workdir/wrk.txt"; then
    echo "ERRORS: see above" >&2
    exit 1
fi
echo "errors: 0"
