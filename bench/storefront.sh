#!/usr/bin/env bash
# Storefront product page under load: GET /store/v1/products/{sku} with 32 concurrent
# connections for 10 s (wrk, 2 threads), on SQLite and on PostgreSQL, against the demo catalog.
#
#   bench/storefront.sh [DURATION]     (needs wrk: apt-get install wrk)
#
# PostgreSQL: HANSE_BENCH_POSTGRES (default postgres://postgres@127.0.0.1:5432).
source "$(dirname "$0")/common.sh"
DURATION="${1:-10s}"
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install wrk" >&2; exit 1; }
build

printf '| backend | requests/s | p50 | p90 | p99 | errors |\n|---|---:|---:|---:|---:|---:|\n'
for backend in sqlite postgres; do
    url=$(fresh_db "$backend" hanse_bench_store)
    start_server "$url" --demo
    # Warm up the connection pool and caches.
    wrk -t2 -c32 -d2s -H 'X-Tenant: demo' "$BASE/store/v1/products/BOLT-M8-30" >/dev/null
    out=$(wrk -t2 -c32 -d"$DURATION" --latency -H 'X-Tenant: demo' "$BASE/store/v1/products/BOLT-M8-30")
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p90=$(awk '$1 == "90%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    errors=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out" | tr '\n' ' ')
    printf '| %s | %s | %s | %s | %s | %s |\n' "$backend" "$rps" "$p50" "$p90" "$p99" "${errors:-0}"
    stop_server
done
