#!/usr/bin/python3
"""SQLite FTS5 peer for `folio-bench search`: indexes docs.tsv (id TAB text) in an in-memory FTS5
table with the trigram tokenizer and answers queries.tsv (class TAB query: space-separated terms,
all required) with the top 10 by rank and an exact total. Terms shorter than three characters
cannot use the trigram index (MATCH and even LIKE return nothing for them in SQLite 3.40), so
they are answered with instr() over the stored text: a scan.
Ranked queries are also answered the way Folio's full answer is, with a highlighted snippet per
hit (FTS5's snippet()): snippet_micros.
Prints JSON: build_seconds and, per query, class, micros, total and (ranked only) snippet_micros."""
import json
import sqlite3
import sys
import time


def condition(terms):
    clauses, params = [], []
    matchable = [t for t in terms if len(t) >= 3]
    if matchable:
        clauses.append("t MATCH ?")
        params.append(" AND ".join('"%s"' % t.replace('"', '""') for t in matchable))
    for term in terms:
        if len(term) < 3:
            clauses.append("instr(body, ?) > 0")
            params.append(term)
    return " AND ".join(clauses), params, bool(matchable)


def main():
    docs_path, queries_path = sys.argv[1:3]
    db = sqlite3.connect(":memory:")
    started = time.perf_counter()
    db.execute("CREATE VIRTUAL TABLE t USING fts5(id UNINDEXED, body, tokenize='trigram')")
    with open(docs_path, encoding="utf-8") as docs:
        rows = (line.rstrip("\n").split("\t", 1) for line in docs)
        db.executemany("INSERT INTO t(id, body) VALUES (?, ?)",
                       ((doc_id, text.replace("\x1f", "\n")) for doc_id, text in rows))
    db.commit()
    build_seconds = time.perf_counter() - started

    results = []
    with open(queries_path, encoding="utf-8") as queries:
        for line in queries:
            name, _, text = line.rstrip("\n").partition("\t")
            where, params, ranked = condition(text.split())
            start = time.perf_counter()
            order = " ORDER BY rank" if ranked else ""
            ids = db.execute("SELECT id FROM t WHERE %s%s LIMIT 10" % (where, order), params).fetchall()
            total = db.execute("SELECT count(*) FROM t WHERE %s" % where, params).fetchone()[0]
            micros = (time.perf_counter() - start) * 1e6
            result = {"class": name, "micros": micros, "total": total, "hits": len(ids)}
            if ranked:
                start = time.perf_counter()
                db.execute("SELECT id, snippet(t, 1, '\x02', '\x03', '…', 24) FROM t WHERE %s ORDER BY rank LIMIT 10"
                           % where, params).fetchall()
                db.execute("SELECT count(*) FROM t WHERE %s" % where, params).fetchone()
                result["snippet_micros"] = (time.perf_counter() - start) * 1e6
            results.append(result)
    print(json.dumps({"engine": "sqlite " + sqlite3.sqlite_version, "build_seconds": build_seconds,
                      "queries": results}))


if __name__ == "__main__":
    main()
