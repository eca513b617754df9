#!/usr/bin/env bash
# Product CSV import: a generated catalog (default 24,000 rows, Magento's "medium" profile)
# into a fresh tenant, then the same file again, on SQLite and on PostgreSQL.
#
#   bench/import.sh [ROWS]
#
# PostgreSQL: HANSE_BENCH_POSTGRES (default postgres://postgres@127.0.0.1:5432).
source "$(dirname "$0")/common.sh"
ROWS="${1:-24000}"
build
"$ROOT/target/release/examples/gen_catalog" "$ROWS" >"$WORK/catalog.csv"

printf '| backend | rows | first import | rows/s | re-import (unchanged) | rows/s |\n|---|---:|---:|---:|---:|---:|\n'
for backend in sqlite postgres; do
    url=$(fresh_db "$backend" hanse_bench_import)
    "$HANSE" --database-url "$url" tenant create --slug bench --name Bench >/dev/null
    first=$("$HANSE" --database-url "$url" import products --tenant bench "$WORK/catalog.csv")
    again=$("$HANSE" --database-url "$url" import products --tenant bench "$WORK/catalog.csv")
    # "24000 rows: 24000 created, ... in 1.33 s (18049 rows/s)"
    secs() { sed -E 's/.* in ([0-9.]+) s \(([0-9]+) rows\/s\)/\1 s | \2/' <<<"$1"; }
    printf '| %s | %s | %s | %s |\n' "$backend" "$ROWS" "$(secs "$first")" "$(secs "$again")"
done
