from __future__ import annotations

import duckdb

from churnstack.quality.checksums import table_checksums


def test_checksums_ignore_order_but_see_every_value() -> None:
    con = duckdb.connect()
    con.execute("create schema s")
    con.execute("create table s.a as select * from (values (1, 'x'), (2, 'y')) v(i, t)")
    con.execute("create table s.b as select * from (values (2, 'y'), (1, 'x')) v(i, t)")
    con.execute("create table s.c as select * from (values (1, 'x'), (2, 'z')) v(i, t)")
    con.execute("create view s.v as select 1 as i")
    sums = table_checksums(con, "s")
    assert set(sums) == {"a", "b", "c"}
    assert sums["a"] == sums["b"]
    assert sums["a"] != sums["c"]
    assert sums["a"][0] == 2
