#!/usr/bin/env python3
"""Writes a foliod data directory of page text files built from the pfr1998 corpus, replicated
to a target article count, for start-up / memory benchmarks of foliod (nothing of it ships).

Usage: scripts/make-startup-corpus.py DATA_DIR [--articles 100000] [--per-page 10]
        [--corpus ../shared/corpus/pfr1998/articles-01-20.jsonl]
Then:  foliod --data DATA_DIR   (the "corpus loaded" log line gives pages, articles, ms and whether
       the model was "loaded from snapshot" or "parsed"; `folio stats` gives corpus bytes and resident
       memory), or let `folio-bench startup --articles N` build the directory and time both starts.
"""
import argparse, json, os

parser = argparse.ArgumentParser()
parser.add_argument("data")
parser.add_argument("--articles", type=int, default=100_000)
parser.add_argument("--per-page", type=int, default=10)
parser.add_argument("--corpus", default=os.path.join(os.path.dirname(__file__), "../../shared/corpus/pfr1998/articles-01-20.jsonl"))
args = parser.parse_args()

with open(args.corpus, encoding="utf-8") as f:
    articles = [json.loads(line) for line in f if line.strip()]
pages_dir = os.path.join(args.data, "pages")
os.makedirs(pages_dir, exist_ok=True)
written = 0
page = 0
total_bytes = 0
while written < args.articles:
    blocks = []
    for k in range(args.per_page):
        a = articles[(written + k) % len(articles)]
        paragraphs = [p for p in a["paragraphs"] if p.strip()]
        if paragraphs and paragraphs[0] == a.get("headline_guess"):
            paragraphs = paragraphs[1:]
        blocks.append(a.get("headline_guess") or paragraphs[0])
        blocks.extend(paragraphs)
    text = "\n\n".join(blocks) + "\n"
    name = f"bench-{page:06d}"
    with open(os.path.join(pages_dir, name + ".txt"), "w", encoding="utf-8") as out:
        out.write(text)
    total_bytes += len(text.encode("utf-8"))
    written += args.per_page
    page += 1
print(f"{page} pages, {written} source articles, {total_bytes / 1e6:.1f} MB of page text in {pages_dir}")
