"""DuckDB on the same generated data as `cargo bench --bench aggregate`.

Run the Rust benchmark first (it writes target/bench-data/incidents-N.csv), then:

    pip install duckdb
    python3 benches/duckdb_compare.py 1000000 10000000
    python3 benches/duckdb_compare.py --polisen     # the police events archive (../shared)

DuckDB does a plain read and a group-by offence x place x month: no value checks, no
reject accounting, no place resolution or classification. It is the floor to compare
lagesbild's ingest and analysis times with, not the same work.
"""
import os
import sys
import time

import duckdb

HERE = os.path.dirname(os.path.abspath(__file__))


def median_of_3(f):
    times = []
    for _ in range(3):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return sorted(times)[1]


def main(sizes):
    con = duckdb.connect()
    for n in sizes:
        path = os.path.join(HERE, "..", "target", "bench-data", f"incidents-{n}.csv")
        if not os.path.exists(path):
            sys.exit(f"{path} saknas: kör först `cargo bench --bench aggregate -- {n}`")
        read = f"read_csv('{path}', delim=';', header=true)"
        t_read = median_of_3(lambda: con.execute(f"SELECT count(*) FROM {read}").fetchall())
        query = f"""
            SELECT offence, coalesce(place, 'okänd plats') AS place,
                   strftime(CAST(occurred_at AS TIMESTAMP), '%Y-%m') AS month, sum("count") AS n
            FROM {read} GROUP BY ALL ORDER BY ALL"""
        cells = []
        t_all = median_of_3(lambda: cells.append(len(con.execute(query).fetchall())))
        con.execute(f"CREATE OR REPLACE TABLE t AS SELECT * FROM {read}")
        mem_query = query.replace(read, "t")
        t_mem = median_of_3(lambda: con.execute(mem_query).fetchall())
        print(f"duckdb n={n:>9}  read {t_read:6.2f} s  read+group {t_all:6.2f} s  "
              f"group in memory {t_mem:6.2f} s  ({n / t_mem:,.0f} rows/s)  {cells[0]} cells")


def polisen():
    """DuckDB's read_json on the events archive, then events per municipality and type
    (location.name only: no title parsing, no de-duplication, no checks)."""
    path = os.path.join(HERE, "..", "..", "shared", "data", "polisen-events", "events_all.jsonl")
    if not os.path.exists(path):
        sys.exit(f"{path} saknas")
    con = duckdb.connect()
    query = f"""
        SELECT location.name AS kommun, type, count(*) AS n
        FROM read_json('{path}', format='newline_delimited')
        WHERE type NOT LIKE 'Sammanfattning%' GROUP BY ALL ORDER BY ALL"""
    cells = []
    t = median_of_3(lambda: cells.append(len(con.execute(query).fetchall())))
    print(f"duckdb polisen: read_json + group {t:6.2f} s  ({cells[0]} cells)")


if __name__ == "__main__":
    if sys.argv[1:] == ["--polisen"]:
        polisen()
    else:
        main([int(a) for a in sys.argv[1:]] or [1_000_000, 10_000_000])
