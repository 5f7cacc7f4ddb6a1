#!/usr/bin/env bash
# make loadtest: the production server under a fixed-time mix of scholars, editors and an admin.
#
# Starts gunicorn (3 workers, DEBUG=0, a fresh SECRET_KEY, plain http on 127.0.0.1) and one
# db_worker per queue against a PostgreSQL database of its own (created when missing, never
# dropped), migrates, creates the demo accounts, loads the sample corpus, generates distinct
# papers up to PAPERS in all (manage.py generate_papers, no cross-reference suggestions for
# them) and rebuilds the search index once when it generated any, then runs bench/locustfile.py headless for DURATION
# with USERS users and prints requests/s, median, p99 and failures per endpoint
# (bench/loadtest_report.py). Exits non-zero when a request failed. Every process it started
# is stopped on exit; its files live under var/loadtest/ only. LOADTEST_DB and KB_VAR_DIR point
# it at another library, e.g. the one make bench-scale grew:
#   LOADTEST_DB=tanyuan_bench_scale KB_VAR_DIR=$PWD/var/bench-scale make loadtest PAPERS=10000
set -euo pipefail

PY=${PY:-.venv/bin/python}
VENV_BIN=$(dirname "$PY")
PAPERS=${PAPERS:-2000}
USERS=${USERS:-20}
SPAWN_RATE=${SPAWN_RATE:-5}
DURATION=${DURATION:-60s}
LOADTEST_PORT=${LOADTEST_PORT:-8100}
LOADTEST_DB=${LOADTEST_DB:-tanyuan_loadtest}
PGURL=${LOADTEST_PG:-postgres://postgres@127.0.0.1:5432}
CORPUS=${CORPUS:-${KB_SAMPLE_CORPUS:-../shared/corpus}}

export DEBUG=0 KB_SECURE=0 ALLOWED_HOSTS=127.0.0.1
SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')
export SECRET_KEY
export DATABASE_URL="$PGURL/$LOADTEST_DB"
export KB_VAR_DIR=${KB_VAR_DIR:-$PWD/var/loadtest}
OUT="$KB_VAR_DIR/out"
mkdir -p "$OUT"

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$PY" - "$PGURL" "$LOADTEST_DB" <<'EOF'
import sys
from urllib.parse import urlsplit

import psycopg2
from psycopg2 import sql

url, name = urlsplit(sys.argv[1]), sys.argv[2]
conn = psycopg2.connect(host=url.hostname, port=url.port or 5432, user=url.username,
                        password=url.password, dbname="postgres")
conn.autocommit = True
with conn.cursor() as cur:
    cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
    if cur.fetchone() is None:
        cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        print(f"created database {name}")
EOF

"$PY" manage.py migrate --noinput -v0
"$PY" manage.py collectstatic --noinput -v0
"$PY" manage.py create_demo_users --force
"$PY" manage.py load_thesaurus
"$PY" manage.py load_samples "$CORPUS"
have=$("$PY" manage.py shell --no-imports -c 'from papers.models import Paper; print(Paper.objects.count())')
# Variants are numbered: the same count gives the same papers, so a second run adds nothing.
generate=$(( PAPERS > have ? PAPERS - have : 0 ))
started=$(date +%s)
if [ "$generate" -gt 0 ]; then
  "$PY" manage.py generate_papers "$generate" --corpus "$CORPUS" --skip-crossrefs --skip-index -v0
  "$PY" manage.py rebuild_search_index -v0
fi
echo "library: $("$PY" manage.py shell --no-imports -c 'from papers.models import Paper; print(Paper.objects.count())') papers (generation and index: $(( $(date +%s) - started )) s)"

"$VENV_BIN/gunicorn" kb.wsgi:application --workers 3 --bind "127.0.0.1:$LOADTEST_PORT" \
  --error-logfile "$OUT/gunicorn.log" & pids+=($!)
for queue in indexing,default parsing publishing; do
  "$PY" manage.py db_worker --queue-name "$queue" >>"$OUT/worker.log" 2>&1 & pids+=($!)
done
for _ in $(seq 50); do
  curl -fs -o /dev/null "http://127.0.0.1:$LOADTEST_PORT/" && break
  sleep 0.2
done

status=0
"$VENV_BIN/locust" -f bench/locustfile.py --headless -u "$USERS" -r "$SPAWN_RATE" -t "$DURATION" \
  --host "http://127.0.0.1:$LOADTEST_PORT" --csv "$OUT/locust" --only-summary \
  --loglevel WARNING >"$OUT/locust.log" 2>&1 || status=$?
"$PY" bench/loadtest_report.py "$OUT/locust_stats.csv" "$OUT/locust_failures.csv" || status=1
echo "users $USERS, $DURATION, gunicorn 3 workers on 127.0.0.1:$LOADTEST_PORT, logs in $OUT/"
exit "$status"
