# Shared by the benchmark scripts: build once, make databases, start and stop a server.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# HANSE_BENCH_BIN: another server binary (a copy of an earlier build), to compare two versions
# in alternating runs on one machine.
HANSE="${HANSE_BENCH_BIN:-$ROOT/target/release/hanse}"
PG_SERVER="${HANSE_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432}"
WORK="$(mktemp -d)"
trap 'stop_server; rm -rf "$WORK"' EXIT

build() {
    (cd "$ROOT" && cargo build --release --quiet --bin hanse --example gen_catalog --example checkout_bench)
}

# fresh_db sqlite|postgres NAME -> prints a database URL
fresh_db() {
    case "$1" in
        sqlite) echo "sqlite://$WORK/$2.db" ;;
        postgres)
            # random_page_cost 1.1 is PostgreSQL's advice for SSDs (its default, 4, models
            # spinning disks); README.md, "Running on PostgreSQL", asks the same of deployments.
            psql "$PG_SERVER/postgres" -q -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $2" -c "CREATE DATABASE $2" \
                -c "ALTER DATABASE $2 SET random_page_cost = ${HANSE_BENCH_RANDOM_PAGE_COST:-1.1}" >/dev/null
            echo "$PG_SERVER/$2" ;;
    esac
}

SERVER_PID=""
# start_server URL ARGS... -> sets BASE
start_server() {
    local url="$1"; shift
    # Made before the server starts, so the wait below never reads a file not there yet.
    : >"$WORK/server.out"
    # HANSE_BENCH_LOG (a RUST_LOG filter) and HANSE_BENCH_SERVER_LOG (a file) keep the server's
    # log, e.g. `sqlx::query=debug` for every statement with its time.
    RUST_LOG="${HANSE_BENCH_LOG:-warn}" HANSE_OPERATOR_TOKEN=bench "$HANSE" serve --bind 127.0.0.1:0 --database-url "$url" "$@" \
        >"$WORK/server.out" 2>"${HANSE_BENCH_SERVER_LOG:-$WORK/server.err}" &
    SERVER_PID=$!
    for _ in $(seq 1 100); do
        BASE=$(sed -n 's/^hanse listening on //p' "$WORK/server.out")
        [ -n "$BASE" ] && return 0
        sleep 0.1
    done
    cat "${HANSE_BENCH_SERVER_LOG:-$WORK/server.err}" >&2
    return 1
}

stop_server() {
    if [ -n "$SERVER_PID" ]; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        SERVER_PID=""
    fi
}
