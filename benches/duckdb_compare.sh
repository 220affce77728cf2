#!/usr/bin/env bash
# Ours against DuckDB on the same generated files, in one go: aggregation from CSV and
# from the partitioned store, wall time and peak memory (/usr/bin/time -v), and the
# ratios. DuckDB's Python package is installed from PyPI when missing.
#
#   bash benches/duckdb_compare.sh [YEARS] [RUNS]
#
# YEARS is the generator's --years (default 2025..2025: about 0,8 million incidents for
# all 290 municipalities; 2013..2025 gives about 10 million). RUNS (default 3): the
# median is reported. The release binary is built first (cargo build --release).
set -euo pipefail
cd "$(dirname "$0")/.."
YEARS="${1:-2025..2025}"
RUNS="${2:-3}"
WORK="${BENCH_DIR:-$(mktemp -d)}"
BIN="${CARGO_TARGET_DIR:-target}/release/lagesbild"

python3 -c "import duckdb" 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check "duckdb==2.0.1"
cargo build --release --quiet
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(python3 -c 'import duckdb; print("duckdb", duckdb.__version__)')"
if [ ! -f "$WORK/gen/genererade-handelser.csv" ]; then
  "$BIN" generate --municipalities 290 --years "$YEARS" --until "${YEARS#*..}-12-31" \
    --out "$WORK/gen" --store "$WORK/db" -q
fi
CSV="$WORK/gen/genererade-handelser.csv"
ROWS=$(($(wc -l < "$CSV") - 1))
echo "rows: $ROWS ($(du -h "$CSV" | cut -f1)), store: $(du -sh "$WORK/db" | cut -f1)"

cat > "$WORK/duck_csv.py" <<PY
import duckdb
duckdb.sql("""
  COPY (SELECT offence, place, strftime(occurred_at, '%Y-%m') AS month, sum("count") AS n
        FROM read_csv('$CSV', delim=';', header=true,
                      types={'occurred_at': 'TIMESTAMP', 'occurred_to': 'VARCHAR'})
        GROUP BY ALL) TO '/dev/null' (FORMAT csv)""")
PY
cat > "$WORK/duck_store.py" <<PY
import duckdb
duckdb.sql("""
  COPY (SELECT offence, place, strftime(occurred_at, '%Y-%m') AS month, sum("count") AS n
        FROM read_parquet('$WORK/db/kommun=*/year=*/incidents.parquet', hive_partitioning=true,
                          hive_types={'kommun': VARCHAR, 'year': INTEGER})
        WHERE kommun = '0180'
        GROUP BY ALL) TO '/dev/null' (FORMAT csv)""")
PY

# median wall seconds and peak MiB of RUNS runs of a command
measure() {
  local walls=() mems=()
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -v "$@" > /dev/null 2> "$WORK/time.txt"
    walls+=("$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$WORK/time.txt")")
    mems+=("$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$WORK/time.txt")")
  done
  local w m
  w=$(printf '%s\n' "${walls[@]}" | sort -g | awk -v n="$RUNS" 'NR==int((n+1)/2)')
  m=$(printf '%s\n' "${mems[@]}" | sort -g | awk -v n="$RUNS" 'NR==int((n+1)/2)')
  echo "$w $m"
}

read -r ours_w ours_m < <(measure "$BIN" aggregate --by offence,place --period month -q -o /dev/null "$CSV")
read -r duck_w duck_m < <(measure python3 "$WORK/duck_csv.py")
read -r ours_sw ours_sm < <(measure "$BIN" aggregate --by offence,place --period month -q -o /dev/null --store "$WORK/db" --kommun 0180)
read -r duck_sw duck_sm < <(measure python3 "$WORK/duck_store.py")
printf '%-34s %10s %10s %10s %10s %8s %8s\n' "aggregate offence,place × month" "ours s" "ours MiB" "DuckDB s" "DuckDB MiB" "time ×" "mem ×"
printf '%-34s %10s %10s %10s %10s %8.2f %8.2f\n' "from CSV ($ROWS rows)" "$ours_w" "$ours_m" "$duck_w" "$duck_m" \
  "$(echo "$ours_w / $duck_w" | bc -l)" "$(echo "$ours_m / $duck_m" | bc -l)"
printf '%-34s %10s %10s %10s %10s %8.2f %8.2f\n' "from the store (Stockholm)" "$ours_sw" "$ours_sm" "$duck_sw" "$duck_sm" \
  "$(echo "$ours_sw / $duck_sw" | bc -l)" "$(echo "$ours_sm / $duck_sm" | bc -l)"
echo "files kept in $WORK"
