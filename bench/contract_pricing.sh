#!/usr/bin/env bash
# Contract pricing at Magento's "large" profile: 300,000 SKUs, 1,000 companies, 10 shared
# catalogs of 30,000 SKUs (100 companies each), 10 price lists of 10,000 entries (one per
# catalog; fixed prices, percentages and quantity breaks). On SQLite and on PostgreSQL:
#
#   - a buyer's 100-line cart priced live (GET /store/v1/cart: visibility, sale quantities,
#     stock, price lists; no plugins installed), one connection for DURATION: p50, p99;
#   - a 1,000-line CSV quick order into an empty cart, 5 times: median and slowest;
#   - a price-list change, then the product page at once: the new price is there (no reindex).
#
#   bench/contract_pricing.sh [SKUS] [DURATION]     (needs wrk, curl, jq)
#
# PostgreSQL: HANSE_BENCH_POSTGRES (default postgres://postgres@127.0.0.1:5432). One backend
# only: HANSE_BENCH_BACKENDS=sqlite (or postgres).
source "$(dirname "$0")/common.sh"
SKUS="${1:-300000}"
DURATION="${2:-10s}"
COMPANIES=1000
CATALOGS=10
ENTRIES=10000
for tool in wrk curl jq; do command -v "$tool" >/dev/null || { echo "$tool is not installed" >&2; exit 1; }; done
build
"$ROOT/target/release/examples/gen_catalog" "$SKUS" >"$WORK/catalog.csv"

sku() { printf 'GEN-%07d' "$1"; }

# Catalog k shows every SKU i with i % 10 == k; its price list prices the first ENTRIES of them:
# even ones fixed at 1.0000 with a break at 100 units, odd ones 10% off.
for k in $(seq 0 $((CATALOGS - 1))); do
    seq "$k" "$CATALOGS" $((SKUS - 1)) | awk '{printf "%s\"GEN-%07d\"", (NR > 1 ? "," : "{\"skus\":["), $1} END {print "]}"}' >"$WORK/catalog-$k.json"
    {
        echo "sku,price,percent_off,min_quantity"
        # (awk, not head: under pipefail a closed pipe would fail the script)
        seq "$k" "$CATALOGS" $((SKUS - 1)) | awk -v max="$ENTRIES" '{
            if (NR % 2 == 1) { lines += 2; if (lines > max) next; printf "GEN-%07d,1.0000,,1\nGEN-%07d,0.9000,,100\n", $1, $1 }
            else { lines += 1; if (lines > max) next; printf "GEN-%07d,,10,1\n", $1 } }'
    } >"$WORK/prices-$k.csv"
done
# The cart: 100 SKUs of catalog 0, half of them on its price list.
{ echo "sku,qty"; for m in $(seq 0 49); do echo "$(sku $((m * 10))),1"; done; for m in $(seq 0 49); do echo "$(sku $((200000 + m * 10))),1"; done; } >"$WORK/cart.csv"
# The quick order: 1,000 SKUs of catalog 0.
{ echo "sku,qty"; for m in $(seq 0 999); do echo "$(sku $((m * 10 + 10000))),1"; done; } >"$WORK/quick.csv"

json() { curl -sS --fail-with-body -H 'Content-Type: application/json' "$@"; }

printf '| backend | SKUs | setup | 100-line cart p50 | p99 | requests/s | 1,000-line quick order median | slowest | change visible at once |\n'
printf '|---|---:|---:|---:|---:|---:|---:|---:|---|\n'
for backend in ${HANSE_BENCH_BACKENDS:-sqlite postgres}; do
    url=$(fresh_db "$backend" hanse_bench_contract)
    started=$(date +%s)
    TOKEN=$("$HANSE" --database-url "$url" tenant create --slug bench --name Bench | sed -n 's/^admin token (shown only now): //p')
    "$HANSE" --database-url "$url" import products --tenant bench "$WORK/catalog.csv" >/dev/null
    start_server "$url"
    admin() { json -H "Authorization: Bearer $TOKEN" "$@"; }
    mkdir -p "$WORK/companies"
    seq 0 $((COMPANIES - 1)) | xargs -P 4 -I{} curl -sS --fail -o "$WORK/companies/{}.json" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
        "$BASE/admin/v1/companies" -d '{"name":"Company {}","email":"office{}@bench.example","status":"active","admin":{"email":"buyer{}@bench.example","password":"bench password","first_name":"B","last_name":"{}"}}'
    mapfile -t companies < <(for i in $(seq 0 $((COMPANIES - 1))); do jq -r .id "$WORK/companies/$i.json"; done)
    for k in $(seq 0 $((CATALOGS - 1))); do
        catalog=$(admin -X POST "$BASE/admin/v1/shared-catalogs" -d "{\"name\":\"Contract $k\",\"type\":\"custom\"}" | jq -r .id)
        admin -X PUT "$BASE/admin/v1/shared-catalogs/$catalog/products" --data-binary @"$WORK/catalog-$k.json" >/dev/null
        members=$(printf '%s\n' "${companies[@]}" | awk -v k="$k" -v n="$CATALOGS" '(NR - 1) % n == k' | jq -R . | jq -sc '{company_ids: .}')
        admin -X PUT "$BASE/admin/v1/shared-catalogs/$catalog/companies" -d "$members" >/dev/null
        list=$(admin -X POST "$BASE/admin/v1/price-lists" -d "{\"name\":\"Contract $k\",\"shared_catalog_ids\":[\"$catalog\"]}" | jq -r .id)
        [ "$k" = 0 ] && LIST0=$list
        curl -sS --fail -o /dev/null -H "Authorization: Bearer $TOKEN" -H 'Content-Type: text/csv' --data-binary @"$WORK/prices-$k.csv" \
            "$BASE/admin/v1/price-lists/$list/entries/import"
    done
    if [ "$backend" = postgres ]; then
        # This machine's PostgreSQL runs without autovacuum. On a production server autovacuum
        # would by now have analyzed the tables filled over the API one row at a time
        # (companies, members); without statistics their key lookups are planned as scans.
        psql "$url" -q -c ANALYZE
    fi
    setup=$(( $(date +%s) - started ))
    # Company 0 sees catalog 0.
    SESSION=$(json -X POST -H 'X-Tenant: bench' "$BASE/store/v1/auth/login" -d '{"email":"buyer0@bench.example","password":"bench password"}' | jq -r .token)
    store() { curl -sS --fail -H 'X-Tenant: bench' -H "Authorization: Bearer $SESSION" "$@"; }
    added=$(store -H 'Content-Type: text/csv' --data-binary @"$WORK/cart.csv" "$BASE/store/v1/quick-order" | jq .added)
    [ "$added" = 100 ] || { echo "the cart got $added of 100 lines" >&2; exit 1; }

    wrk -t1 -c1 -d2s -H 'X-Tenant: bench' -H "Authorization: Bearer $SESSION" "$BASE/store/v1/cart" >/dev/null
    out=$(wrk -t1 -c1 -d"$DURATION" --latency -H 'X-Tenant: bench' -H "Authorization: Bearer $SESSION" "$BASE/store/v1/cart")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")

    times=()
    for _ in 1 2 3 4 5; do
        store -X DELETE "$BASE/store/v1/cart" >/dev/null
        t=$(store -o "$WORK/quick.out" -w '%{time_total}' -H 'Content-Type: text/csv' --data-binary @"$WORK/quick.csv" "$BASE/store/v1/quick-order")
        [ "$(jq .added "$WORK/quick.out")" = 1000 ] || { echo "quick order added $(jq .added "$WORK/quick.out") of 1000" >&2; exit 1; }
        times+=("$t")
    done
    sorted=$(printf '%s\n' "${times[@]}" | sort -n)
    median=$(sed -n 3p <<<"$sorted")
    slowest=$(sed -n 5p <<<"$sorted")

    probe=$(sku 20)
    admin -X PATCH "$BASE/admin/v1/price-lists/$LIST0/entries" -d "{\"entries\":[{\"sku\":\"$probe\",\"price\":\"0.4321\"}]}" >/dev/null
    seen=$(store "$BASE/store/v1/products/$probe" | jq -r .price)
    visible=$([ "$seen" = "0.4321" ] && echo yes || echo "no ($seen)")
    printf '| %s | %s | %s s | %s | %s | %s | %.0f ms | %.0f ms | %s |\n' "$backend" "$SKUS" "$setup" "$p50" "$p99" "$rps" \
        "$(echo "$median * 1000" | bc -l)" "$(echo "$slowest * 1000" | bc -l)" "$visible"
    stop_server
done
