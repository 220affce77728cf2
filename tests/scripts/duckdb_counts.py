"""Counts incidents per offence type and year in a lagesbild store with DuckDB, the way
docs/scaling.md shows it, and prints them as `offence;year;count` lines (sorted), for
tests/cli/store.rs to compare with `lagesbild aggregate --store`.

Usage: python3 duckdb_counts.py STORE KOMMUNKOD
"""
import sys

import duckdb

store, kommun = sys.argv[1], sys.argv[2]
rows = duckdb.sql(
    f"""
    SELECT coalesce(offence, '(uppgift saknas)') AS offence, year, sum("count") AS n
    FROM read_parquet('{store}/kommun=*/year=*/incidents.parquet',
                      hive_partitioning = true,
                      hive_types = {{'kommun': VARCHAR, 'year': INTEGER}})
    WHERE kommun = '{kommun}'
    GROUP BY ALL
    ORDER BY offence, year
    """
).fetchall()
for offence, year, n in rows:
    print(f"{offence};{year};{n}")
