#!/usr/bin/env bash
# Load test: gunicorn on loopback serving the registry, wrk driving the public item list.
#
#   bench/load.sh [PATH] [SECONDS] [CONNECTIONS]     defaults: /items/ 60 64
#
# Uses DATABASE_URL if set (PostgreSQL, as in production), else a throw-away SQLite copy.
# Prints requests per second, latency percentiles and errors; the bar is zero errors.
set -euo pipefail
cd "$(dirname "$0")/.."

TARGET_PATH=${1:-/items/}
DURATION=${2:-60}
CONNECTIONS=${3:-64}
WORKERS=${WORKERS:-$(( $(nproc) * 2 + 1 ))}
PORT=${PORT:-8765}

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
PY=.venv/bin/python
[ -x "$PY" ] || make install

workdir=$(mktemp -d)
trap 'kill "${server_pid:-}" 2>/dev/null || true; rm -rf "$workdir"' EXIT

if [ -z "${DATABASE_URL:-}" ]; then
    export DATABASE_URL="sqlite:///$workdir/load.sqlite3"
fi
export DJANGO_ENV=production SECRET_KEY=load-test-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz
export ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=false STATIC_ROOT="$workdir/static"
"$PY" manage.py migrate --noinput -v0
"$PY" manage.py seed_registry
"$PY" manage.py collectstatic --noinput -v0

.venv/bin/gunicorn devolution.wsgi --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
    --log-level warning --access-logfile /dev/null &
server_pid=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done

echo "gunicorn: $WORKERS workers; database: ${DATABASE_URL%%:*}; $(nproc) cores"
echo "wrk: ${DURATION}s, $CONNECTIONS connections, 2 threads, GET $TARGET_PATH"
wrk --latency -t2 -c "$CONNECTIONS" -d "${DURATION}s" "http://127.0.0.1:$PORT$TARGET_PATH" \
    | tee "$workdir/wrk.txt"
# wrk reports socket errors and non-2xx/3xx responses separately; both count as errors.
if grep -qE "Socket errors|Non-2xx or 3xx" "$workdir/wrk.txt"; then
    echo "ERRORS: see above" >&2
    exit 1
fi
echo "errors: 0"
