#!/usr/bin/python3
"""Xapian peer for `folio-bench search`: indexes docs.tsv (id TAB text, fields separated by U+001F)
with CJK n-gram terms, answers queries.tsv (class TAB query) with the top 10 and an exact total,
and prints JSON: build_seconds and, per query, class, micros and total.
Run with Debian's python3-xapian: /usr/bin/python3 xapian_peer.py DOCS QUERIES WORKDIR"""
import json
import os
import shutil
import sys
import time

import xapian


def main():
    docs_path, queries_path, work_dir = sys.argv[1:4]
    db_path = os.path.join(work_dir, "xapian.db")
    shutil.rmtree(db_path, ignore_errors=True)
    started = time.perf_counter()
    db = xapian.WritableDatabase(db_path, xapian.DB_CREATE_OR_OVERWRITE)
    generator = xapian.TermGenerator()
    generator.set_flags(xapian.TermGenerator.FLAG_CJK_NGRAM)
    with open(docs_path, encoding="utf-8") as docs:
        for line in docs:
            doc_id, _, text = line.rstrip("\n").partition("\t")
            document = xapian.Document()
            generator.set_document(document)
            generator.index_text(text.replace("\x1f", "\n"))
            document.set_data(doc_id)
            db.add_document(document)
    db.commit()
    db.close()
    build_seconds = time.perf_counter() - started

    db = xapian.Database(db_path)
    parser = xapian.QueryParser()
    parser.set_database(db)
    parser.set_default_op(xapian.Query.OP_AND)
    flags = xapian.QueryParser.FLAG_DEFAULT | xapian.QueryParser.FLAG_CJK_NGRAM
    enquire = xapian.Enquire(db)
    count = db.get_doccount()
    results = []
    with open(queries_path, encoding="utf-8") as queries:
        for line in queries:
            name, _, text = line.rstrip("\n").partition("\t")
            start = time.perf_counter()
            enquire.set_query(parser.parse_query(text, flags))
            matches = enquire.get_mset(0, 10, count)
            ids = [match.document.get_data() for match in matches]
            micros = (time.perf_counter() - start) * 1e6
            results.append({"class": name, "micros": micros, "total": matches.get_matches_estimated(),
                            "hits": len(ids)})
    print(json.dumps({"engine": "xapian " + xapian.version_string(), "build_seconds": build_seconds,
                      "queries": results}))


if __name__ == "__main__":
    main()
