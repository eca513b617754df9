#!/usr/bin/env bash
# Checkout throughput and latency: BUYERS buyers, each with a full cart, place one order each
# through POST /store/v1/checkout, CONCURRENCY at a time over keep-alive connections, on SQLite
# and on PostgreSQL. Every checkout prices the cart through tier-pricing (10 % off from 10 units),
# rates it with flat-rate-shipping, offers and authorizes payment-on-account, then in one
# transaction takes the cart lines, reserves stock, charges the company's credit and writes the
# order (examples/checkout_bench.rs).
#
#   bench/checkout.sh [BUYERS] [CONCURRENCY] [LINES] [SKUS]     (defaults 5000, 8, 10, 1000)
#
# Setup goes straight into the database through the store (no argon2 per buyer): SKUS products
# with 10^9 in stock; per buyer an active company, its admin with a session, a credit line and a
# cart of LINES distinct SKUs drawn uniformly from them (1 to 20 units each). 100 warm-up
# orders on extra buyers, then (PostgreSQL) ANALYZE of the tables checkout writes, as autoanalyze
# would have run by then, then the timed run. Afterwards the books must balance: one order per
# checkout, carts empty, stock reserved = units ordered, no inventory or credit drift. Progress
# (with orders/s in each fifth of the run) goes to stderr, the table to stdout.
#
# 8 checkouts at a time is where throughput levels off on the 2-core machine: more only adds
# queueing to the latency.
#
# PostgreSQL: HANSE_BENCH_POSTGRES (default postgres://postgres@127.0.0.1:5432). One backend
# only: HANSE_BENCH_BACKENDS=sqlite (or postgres). The client runs on the same 2 cores as the
# server and the database.
source "$(dirname "$0")/common.sh"
BUYERS="${1:-5000}"
CONCURRENCY="${2:-8}"
LINES="${3:-10}"
SKUS="${4:-1000}"
build

printf '| backend | buyers | concurrency | lines | orders/s | p50 | p90 | p99 | max |\n'
printf '|---|---:|---:|---:|---:|---:|---:|---:|---:|\n'
for backend in ${HANSE_BENCH_BACKENDS:-sqlite postgres}; do
    url=$(fresh_db "$backend" hanse_bench_checkout)
    # SQLite: request threads below the database threads (README, `--request-nice`); on
    # PostgreSQL it showed no gain. HANSE_REQUEST_NICE overrides it on both.
    if [ "$backend" = sqlite ]; then start_server "$url" --request-nice "${HANSE_REQUEST_NICE:-10}"; else start_server "$url"; fi
    "$ROOT/target/release/examples/checkout_bench" --base "$BASE" --database-url "$url" \
        --buyers "$BUYERS" --concurrency "$CONCURRENCY" --lines "$LINES" --skus "$SKUS"
    stop_server
done
