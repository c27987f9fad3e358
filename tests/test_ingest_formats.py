"""Ingest of HTML, JSON, JSONL, CSV and RSS/Atom files.

The pages, tables and feeds are built here around real text: the seed article and U.S.
Central Command press releases of the demo corpus (public domain, see
data/demo/ATTRIBUTION.md).
"""

from __future__ import annotations

import csv
import json
import os
import tracemalloc
from datetime import date
from html import escape
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SHARED, demo_records
from tolltrace import errors
from tolltrace.ingest import ingest
from tolltrace.ingest.core import with_headline
from tolltrace.records import Document, Failure
from tolltrace.settings import load_settings

UDHR1_FR = (  # Universal Declaration of Human Rights, art. 1, official UN French text
    "Tous les êtres humains naissent libres et égaux en dignité et en droits. Ils sont "
    "doués de raison et de conscience et doivent agir les uns envers les autres dans un "
    "esprit de fraternité."
)


def run(*inputs: str | Path, **overrides: Any) -> list[Document | Failure]:
    return list(ingest([str(i) for i in inputs], load_settings(overrides, environ={})))


def docs(items: list[Document | Failure]) -> list[Document]:
    return [d for d in items if isinstance(d, Document)]


def failures(items: list[Document | Failure]) -> list[Failure]:
    return [f for f in items if isinstance(f, Failure)]


def record(doc_id: str) -> dict[str, Any]:
    return next(r for r in demo_records() if r["id"] == doc_id)


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n\n") if p.strip()]


def flat(text: str) -> str:
    """Spaces collapsed, as HTML renders them."""
    return " ".join(text.split())


HOSPITAL = "re3d-e7e0ebec53"  # "Coalition Strikes Mosul Hospital", CENTCOM
KUWAITI = "re3d-9db3b77ff7"  # "Death of Abu Jandal al-Kuwaiti", CENTCOM


def page(rec: dict[str, Any], *, dated: bool = True) -> str:
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs(rec["text"]))
    date_meta = (
        '<meta property="article:published_time" content="2016-12-08T10:00:00Z">' if dated else ""
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{escape(rec["title"])} &gt; U.S. Central Command</title>
<meta property="og:site_name" content="U.S. Central Command">
{date_meta}
<style>p.lead {{ font-weight: bold; content: "STYLE-MARKER"; }}</style>
<script>window.tracker = "SCRIPT-MARKER"; document.write("SCRIPT-MARKER");</script>
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/media">Media</a></li></ul></nav>
<article><h1>{escape(rec["title"])}</h1>
{body}
<script>console.log("SCRIPT-MARKER")</script>
</article>
<footer><p>Privacy policy. Contact us. Accessibility.</p></footer>
</body></html>"""


# ---------------------------------------------------------------------------- HTML


def test_html_page_gives_main_text_title_date_and_outlet(tmp_path: Path) -> None:
    rec = record(HOSPITAL)
    path = tmp_path / "hospital.html"
    path.write_text(page(rec), encoding="utf-8")
    [doc] = docs(run(path))
    first, *_, last = paragraphs(rec["text"])
    assert first.split(".")[0] in doc.text
    assert last.split(".")[0] in doc.text
    assert "SCRIPT-MARKER" not in doc.text and "STYLE-MARKER" not in doc.text
    assert doc.title is not None and doc.title.startswith("Coalition Strikes Mosul Hospital")
    assert doc.published == date(2016, 12, 8)
    assert doc.outlet == "U.S. Central Command"
    assert doc.lang == "en"


def test_html_without_a_date_gets_none(tmp_path: Path) -> None:
    # "Lt. Gen. Townsend statement on SDF advance to isolate Raqqah" (CENTCOM) states an
    # event date in its prose ("... Raqqah, Syria, Nov. 6, 2016."); htmldate's extensive
    # search would turn that into a publication date of 2016-01-01. None is the truth.
    path = tmp_path / "townsend.html"
    path.write_text(page(record("re3d-c39321c02e"), dated=False), encoding="utf-8")
    [doc] = docs(run(path))
    assert "isolate Raqqah" in doc.text
    assert doc.published is None


def test_broken_html_is_read_leniently(tmp_path: Path, seed_text: str) -> None:
    paras = paragraphs(seed_text)[2:6]
    # Unclosed <p>, <div> and <b>, a stray </span>, no </body></html>, an open comment.
    broken = (
        "<html><head><title>Mosul</title><script>var a = '<p>SCRIPT-MARKER</p>'"
        "</script><body><div class=story><p>"
        + "<p><b>".join(escape(p) for p in paras)
        + "</span><div><!-- unterminated"
    )
    path = tmp_path / "broken.html"
    path.write_text(broken, encoding="utf-8")
    [doc] = docs(run(path))
    assert "Over 60 civilians have been killed" in doc.text
    assert "SCRIPT-MARKER" not in doc.text


def test_html_fragment_falls_back_to_visible_text(tmp_path: Path, seed_text: str) -> None:
    first = paragraphs(seed_text)[2]  # "Over 60 civilians have been killed ..."
    path = tmp_path / "fragment.htm"
    path.write_text(f"<p>{escape(first)}<style>x{{}}</style></p>", encoding="utf-8")
    [doc] = docs(run(path))
    assert doc.text == first


def test_html_meta_charset_windows_1256(tmp_path: Path) -> None:
    # UDHR art. 1, official UN Arabic text.
    ar = (
        "يولد جميع الناس أحرارًا متساوين في الكرامة والحقوق. وهم قد وهبوا العقل والوجدان "
        "وعليهم أن يعاملوا بعضهم بعضًا بروح الإخاء."
    )
    head = '<html><head><meta charset="windows-1256"><title>المادة 1</title></head>'
    html = f"{head}<body><p>{ar}</p>"
    path = tmp_path / "udhr.html"
    path.write_bytes(html.encode("cp1256"))
    [doc] = docs(run(path))
    assert doc.text == with_headline(ar, "المادة 1")  # the page title heads the text
    assert doc.title == "المادة 1"
    assert doc.lang == "ar"


# ---------------------------------------------------------------------------- JSONL


def test_invalid_and_truncated_jsonl_lines_are_failures_and_the_rest_is_read(
    tmp_path: Path, demo_path: Path
) -> None:
    lines = demo_path.read_text(encoding="utf-8").splitlines()[:5]
    lines[1] = lines[1][: len(lines[1]) // 2]  # truncated mid-record
    lines[3] = "[1, 2]"  # valid JSON, not a record
    path = tmp_path / "docs.jsonl"
    path.write_text("\n".join(lines) + "\n\n", encoding="utf-8")
    items = run(path)
    assert [d.source for d in docs(items)] == [f"{path}:1", f"{path}:3", f"{path}:5"]
    bad = failures(items)
    assert [f.source for f in bad] == [f"{path}:2", f"{path}:4"]
    assert bad[0].reason.startswith("invalid JSON")
    assert bad[1].reason == errors.BAD_RECORD.format(detail="a JSON list")


def test_jsonl_record_over_the_cap_is_skipped_alone(tmp_path: Path, demo_path: Path) -> None:
    lines = demo_path.read_text(encoding="utf-8").splitlines()
    small = min(lines[:10], key=len)
    big = max(lines[:10], key=len)
    path = tmp_path / "docs.jsonl"
    path.write_text(f"{small}\n{big}\n{small}\n", encoding="utf-8")
    items = run(path, max_file_bytes=len(small.encode()) + 10)
    assert [type(i).__name__ for i in items] == ["Document", "Failure", "Document"]
    assert items[1].source == f"{path}:2" and items[1].reason.startswith("too large")


def test_empty_text_and_long_text_records_are_failures(tmp_path: Path) -> None:
    rec = record(HOSPITAL)
    rows = [dict(rec, id="a", text=""), dict(rec, id="b"), dict(rec, id="c", text=" \n ")]
    path = tmp_path / "docs.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    items = run(path)
    assert [(i.source, i.reason) for i in failures(items)] == [
        (f"{path}:1", errors.EMPTY),
        (f"{path}:3", errors.EMPTY),
    ]
    [too_long] = failures(run(path, max_document_chars=100))[1:2]
    assert too_long.source == f"{path}:2" and too_long.reason.startswith("text too long")


def test_ten_thousand_records_are_streamed(tmp_path: Path, demo_path: Path) -> None:
    recs = demo_records()
    path = tmp_path / "big.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for i in range(10_000):
            fh.write(json.dumps(dict(recs[i % len(recs)], id=f"r{i:05d}")) + "\n")
    size = path.stat().st_size
    assert size > 10_000_000
    settings = load_settings(environ={})
    tracemalloc.start()
    try:
        stream = ingest([str(path)], settings)
        head = [next(stream) for _ in range(100)]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # Reading 100 records must not hold the file: a whole-file read would peak over 10 MB.
    assert peak < size / 10
    rest = sum(1 for _ in stream)
    assert len(head) + rest == 10_000
    assert head[42].id == "r00042"


def test_gold_documents_read_as_is() -> None:
    gold = SHARED / "data" / "gvdb-dev" / "documents.jsonl"
    if not gold.exists():
        pytest.skip(f"gold data not found at {gold}")
    with gold.open(encoding="utf-8") as fh:
        recs = [json.loads(next(fh)) for _ in range(20)]
    items = list(ingest([str(gold)], load_settings(environ={})))[:20]
    assert [d.id for d in docs(items)] == [r["id"] for r in recs]
    assert [d.dataset for d in docs(items)] == [r["dataset"] for r in recs]


# ----------------------------------------------------------------------- JSON, CSV


def test_json_object_and_array_with_field_aliases(tmp_path: Path) -> None:
    hospital, kuwaiti = record(HOSPITAL), record(KUWAITI)
    aliased = {
        "headline": kuwaiti["title"],
        "Body": kuwaiti["text"],
        "date": "Tue, 27 Dec 2016 09:00:00 GMT",
        "link": kuwaiti["url"],
        "source": "CENTCOM",
        "language": "en-US",
    }
    (tmp_path / "one.json").write_text(json.dumps(hospital), encoding="utf-8")
    (tmp_path / "many.json").write_text(json.dumps([aliased, 7]), encoding="utf-8")
    items = run(tmp_path / "one.json", tmp_path / "many.json")
    one, two = docs(items)
    assert one.id == HOSPITAL and one.source == str(tmp_path / "one.json")
    assert two.title == kuwaiti["title"]
    assert two.text == with_headline(kuwaiti["text"], kuwaiti["title"])
    assert two.published == date(2016, 12, 27)
    assert two.url == kuwaiti["url"] and two.outlet == "CENTCOM" and two.lang == "en"
    assert two.source == f"{tmp_path / 'many.json'}[0]"
    [bad] = failures(items)
    assert bad.source == f"{tmp_path / 'many.json'}[1]"


def test_invalid_json_file_is_a_failure(tmp_path: Path, demo_path: Path) -> None:
    path = tmp_path / "cut.json"
    path.write_text(demo_path.read_text(encoding="utf-8")[:500], encoding="utf-8")
    [f] = run(path)
    assert isinstance(f, Failure) and f.reason.startswith("invalid JSON")


def test_csv_with_multiline_text_and_a_latin1_csv(tmp_path: Path) -> None:
    recs = [record(HOSPITAL), record(KUWAITI)]
    path = tmp_path / "docs.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "Title", "text", "published", "url", "outlet"])
        for r in recs:
            w.writerow([r["id"], r["title"], r["text"], "2016-12-08", r["url"], r["outlet"]])
    a, b = docs(run(path))
    assert (a.id, b.id) == (HOSPITAL, KUWAITI)
    # paragraph breaks inside a quoted field survive
    assert b.text == with_headline(recs[1]["text"], recs[1]["title"])
    assert b.source == f"{path}:{2 + recs[0]['text'].count(chr(10)) + 1}"  # its first line

    fr = tmp_path / "fr.csv"
    fr.write_bytes(f"title;text\nDUDH article 1;{UDHR1_FR}\n".encode("latin-1"))
    [doc] = docs(run(fr))
    assert doc.text == f"DUDH article 1\n\n{UDHR1_FR}" and doc.lang == "fr"


def test_csv_field_over_the_cap_is_a_failure_for_that_row(tmp_path: Path) -> None:
    recs = [record(HOSPITAL), record(KUWAITI)]
    path = tmp_path / "docs.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "text"])
        for r in recs:
            w.writerow([r["id"], r["text"]])
    cap = len(recs[1]["text"]) + 10
    assert len(recs[0]["text"]) > cap
    items = run(path, max_document_chars=cap)
    assert [d.id for d in docs(items)] == [KUWAITI]
    assert failures(items) and failures(items)[0].source == f"{path}:2"


# --------------------------------------------------------------------------- feeds


def rss(recs: list[dict[str, Any]]) -> str:
    items = "".join(
        f"""<item><title>{escape(r["title"])}</title><link>{escape(r["url"])}</link>
<pubDate>Thu, 08 Dec 2016 1{i}:00:00 GMT</pubDate>
<description>{escape("<p>" + paragraphs(r["text"])[0] + "</p>")}</description></item>"""
        for i, r in enumerate(recs)
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>CENTCOM press releases</title>
<link>http://www.centcom.mil/</link><language>en-us</language>{items}</channel></rss>"""


def test_rss_file_gives_one_document_per_entry(tmp_path: Path) -> None:
    recs = [record(HOSPITAL), record(KUWAITI)]
    path = tmp_path / "centcom.rss"
    path.write_text(rss(recs), encoding="utf-8")
    items = docs(run(path))
    assert [d.url for d in items] == [r["url"] for r in recs]
    assert [d.title for d in items] == [r["title"] for r in recs]
    assert all(d.published == date(2016, 12, 8) for d in items)
    assert all(d.outlet == "centcom.mil" and d.lang == "en" for d in items)
    # the summary, no tags
    assert items[0].text == with_headline(flat(paragraphs(recs[0]["text"])[0]), recs[0]["title"])
    assert [d.source for d in items] == [f"{path}[0]", f"{path}[1]"]


def test_atom_feed_content_is_preferred_to_summary(tmp_path: Path) -> None:
    rec = record(HOSPITAL)
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs(rec["text"]))
    atom = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>CENTCOM</title><id>urn:centcom</id>
<updated>2016-12-08T12:00:00Z</updated>
<entry><title>{escape(rec["title"])}</title><id>{escape(rec["url"])}</id>
<link href="{escape(rec["url"])}"/><updated>2016-12-08T12:00:00Z</updated>
<summary>{escape(paragraphs(rec["text"])[0][:80])}</summary>
<content type="html">{escape(body)}</content></entry></feed>"""
    path = tmp_path / "centcom.atom"
    path.write_text(atom, encoding="utf-8")
    [doc] = docs(run(path))
    assert doc.text == with_headline(
        "\n".join(flat(p) for p in paragraphs(rec["text"])), rec["title"]
    )
    assert doc.published == date(2016, 12, 8)
    assert doc.url == rec["url"]


def test_feed_that_is_not_xml_is_a_failure(tmp_path: Path, seed_text: str) -> None:
    path = tmp_path / "news.rss"
    path.write_text(seed_text, encoding="utf-8")
    rec = record(HOSPITAL)
    good = tmp_path / "good.rss"
    good.write_text(rss([rec]), encoding="utf-8")
    items = run(path, good)
    [f] = failures(items)
    assert f.source == str(path) and f.reason.startswith("not an RSS or Atom feed")
    assert len(docs(items)) == 1


def test_unknown_extension_is_sniffed(tmp_path: Path) -> None:
    rec = record(HOSPITAL)
    (tmp_path / "feed.dat").write_text(rss([rec]), encoding="utf-8")
    (tmp_path / "page.dat").write_text(page(rec), encoding="utf-8")
    items = docs(run(tmp_path / "feed.dat", tmp_path / "page.dat"))
    assert items[0].url == rec["url"]  # read as a feed
    assert "SCRIPT-MARKER" not in items[1].text  # read as HTML
    assert os.path.basename(items[1].source) == "page.dat"


def test_html_without_visible_text_is_a_failure(tmp_path: Path, seed_text: str) -> None:
    # A page whose only content is a script holding the seed's first paragraph.
    first = paragraphs(seed_text)[2]
    path = tmp_path / "empty.html"
    path.write_text(f"<html><head><script>var s = {json.dumps(first)};</script></head></html>")
    [f] = run(path)
    assert isinstance(f, Failure) and f.reason == errors.NO_TEXT


def test_feed_whose_content_is_a_path_does_not_read_that_file(tmp_path: Path) -> None:
    # feedparser opens a bytes or str argument that names a file; ingest must hand it
    # the content, or a "feed" holding "/some/path" would read a local file.
    real = tmp_path / "centcom.rss"
    real.write_text(rss([record(HOSPITAL)]), encoding="utf-8")
    decoy = tmp_path / "decoy.rss"
    decoy.write_text(str(real), encoding="utf-8")
    [f] = run(decoy)
    assert isinstance(f, Failure) and f.reason.startswith("not an RSS or Atom feed")


def test_saved_pages_sharing_a_canonical_url_stay_distinct(tmp_path: Path) -> None:
    # Site templates that give every page one canonical link exist; two different
    # articles saved from such a site must not collapse into one id.
    canonical = '<link rel="canonical" href="https://www.centcom.mil/MEDIA/">'
    for name, rec_id in (("a.html", HOSPITAL), ("b.html", KUWAITI)):
        html = page(record(rec_id)).replace("</head>", canonical + "</head>")
        (tmp_path / name).write_text(html, encoding="utf-8")
    a, b = docs(run(tmp_path))
    assert a.id != b.id
    assert a.url == b.url == "https://www.centcom.mil/MEDIA/"
    assert a.outlet == "U.S. Central Command"


def test_csv_without_a_text_column_is_one_failure(tmp_path: Path) -> None:
    path = tmp_path / "index.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "title", "url"])
        for r in demo_records()[:20]:
            w.writerow([r["id"], r["title"], r["url"]])
    [f] = run(path)
    assert isinstance(f, Failure) and f.source == str(path)
    assert f.reason.startswith("invalid CSV: no text column")


def test_sniffed_text_starting_with_a_bracket_is_text(tmp_path: Path, seed_text: str) -> None:
    # The seed from its first quoted headline on: "[@RT_com](#) US-led coalition ..."
    tail = seed_text[seed_text.index("[@RT_com]") :]
    path = tmp_path / "seed-tail.dat"
    path.write_text(tail, encoding="utf-8")
    [doc] = docs(run(path))
    assert doc.text == tail.strip()
    assert doc.text[doc.embedded[0].start : doc.embedded[0].end].endswith("/7soi>")


def test_a_page_mentioning_feeds_is_not_a_feed(tmp_path: Path) -> None:
    html = page(record(HOSPITAL)).replace("<nav>", "<nav><feedback>Rate this page</feedback>")
    path = tmp_path / "page.dat"
    path.write_text(html, encoding="utf-8")
    [doc] = docs(run(path))
    assert "Al Salem hospital" in doc.text


def test_an_unforeseen_parser_error_is_one_failure(
    tmp_path: Path, seed_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tolltrace.ingest import core

    def explode(html: str, url: str | None = None) -> Any:
        raise RecursionError("maximum recursion depth exceeded")  # as deep markup can

    monkeypatch.setattr(core, "parse_html", explode)
    (tmp_path / "a.html").write_text(page(record(HOSPITAL)), encoding="utf-8")
    (tmp_path / "b.txt").write_text(seed_text, encoding="utf-8")
    items = run(tmp_path)
    assert [type(i).__name__ for i in items] == ["Failure", "Document"]
    assert items[0].reason.startswith("unreadable: RecursionError")


def test_json_export_wrapping_its_records(tmp_path: Path) -> None:
    # The shape of a NewsAPI answer: records under "articles", the outlet as an object.
    recs = [record(HOSPITAL), record(KUWAITI)]
    export = {
        "status": "ok",
        "totalResults": 2,
        "articles": [
            {
                "source": {"id": None, "name": r["outlet"]},
                "title": r["title"],
                "url": r["url"],
                "publishedAt": "2016-12-08T10:00:00Z",
                "content": r["text"],
            }
            for r in recs
        ],
    }
    path = tmp_path / "newsapi.json"
    path.write_text(json.dumps(export), encoding="utf-8")
    items = docs(run(path))
    assert [d.url for d in items] == [r["url"] for r in recs]
    assert all(d.outlet == "U.S. Central Command" for d in items)
    assert all(d.published == date(2016, 12, 8) for d in items)
    assert items[1].text == with_headline(recs[1]["text"], recs[1]["title"])
    assert items[0].source == f"{path}[0]"
