"""Ingest of text files, folders and globs; ids, normalization, charsets, language.

Real text only: the seed article, the demo corpus, and Article 1 of the Universal
Declaration of Human Rights in its official UN language versions.
"""

from __future__ import annotations

import gzip
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import demo_records
from tolltrace import errors
from tolltrace.ingest import ingest, make_document, normalize_text
from tolltrace.ingest.core import detect_lang, normalize_url, with_headline
from tolltrace.ingest.decode import decode_bytes
from tolltrace.records import Document, Failure
from tolltrace.settings import Settings, load_settings

SEED_TITLE = (
    "60 civilians killed, 200 injured as US-led coalition strikes Mosul residential areas "
    "– Russian MoD"
)

# Universal Declaration of Human Rights, Article 1, official UN texts
# (https://www.un.org/ar/universal-declaration-human-rights/ ,
#  https://www.un.org/fr/universal-declaration-human-rights/ ,
#  https://www.un.org/es/about-us/universal-declaration-of-human-rights).
UDHR1_AR = (
    "يولد جميع الناس أحرارًا متساوين في الكرامة والحقوق. وهم قد وهبوا العقل والوجدان "
    "وعليهم أن يعاملوا بعضهم بعضًا بروح الإخاء."
)
UDHR1_FR = (
    "Tous les êtres humains naissent libres et égaux en dignité et en droits. Ils sont "
    "doués de raison et de conscience et doivent agir les uns envers les autres dans un "
    "esprit de fraternité."
)
# Russian: UN text (https://www.un.org/ru/documents/decl_conv/declarations/declhr.shtml);
# Ukrainian: the OHCHR translation
# (https://www.ohchr.org/en/human-rights/universal-declaration/translations/ukrainian).
UDHR1_RU = (
    "Все люди рождаются свободными и равными в своем достоинстве и правах. Они наделены "
    "разумом и совестью и должны поступать в отношении друг друга в духе братства."
)
UDHR1_UK = (
    "Всі люди народжуються вільними і рівними у своїй гідності та правах. Вони наділені "
    "розумом і совістю і повинні діяти у відношенні один до одного в дусі братерства."
)
UDHR1_ES = (
    "Todos los seres humanos nacen libres e iguales en dignidad y derechos y, dotados como "
    "están de razón y conciencia, deben comportarse fraternalmente los unos con los otros."
)


def settings(**overrides: Any) -> Settings:
    return load_settings(overrides, environ={})


def run(*inputs: str | Path, **overrides: Any) -> list[Document | Failure]:
    return list(ingest([str(i) for i in inputs], settings(**overrides)))


def docs(items: list[Document | Failure]) -> list[Document]:
    return [d for d in items if isinstance(d, Document)]


def failures(items: list[Document | Failure]) -> list[Failure]:
    return [f for f in items if isinstance(f, Failure)]


def record(doc_id: str) -> dict[str, Any]:
    return next(r for r in demo_records() if r["id"] == doc_id)


@pytest.fixture
def seed_file(tmp_path: Path, seed_text: str) -> Path:
    path = tmp_path / "000_ffe4602930e352e0.txt"
    path.write_text(seed_text, encoding="utf-8")
    return path


# ------------------------------------------------------------------------ text files


def test_seed_layout_gives_title_date_text_and_two_embedded_spans(seed_file: Path) -> None:
    [doc] = run(seed_file)
    assert isinstance(doc, Document)
    assert doc.title == SEED_TITLE
    assert doc.published == date(2016, 10, 25)
    assert doc.lang == "en"
    assert doc.source == str(seed_file)
    assert doc.text.startswith(SEED_TITLE)
    assert "Over 60 civilians have been killed" in doc.text
    quoted = [doc.text[s.start : s.end] for s in doc.embedded]
    assert len(quoted) == 2
    assert quoted[0].startswith("[@RT_com](#) US-led coalition strike killed dozens")
    assert quoted[0].endswith("<http://on.rt.com/7soi>")
    assert quoted[1].startswith("[@RT_com](#) 48 women & children flee rebel-held Aleppo")


def test_markdown_heading_and_date_line(tmp_path: Path, seed_text: str) -> None:
    body = seed_text.split("25/10/2016", 1)[1]
    path = tmp_path / "seed.md"
    path.write_text(f"# {SEED_TITLE}\n\n*25/10/2016*\n{body}", encoding="utf-8")
    [doc] = docs(run(path))
    assert doc.title == SEED_TITLE
    assert doc.published == date(2016, 10, 25)
    assert len(doc.embedded) == 2


def test_text_without_a_date_line_gets_no_date(tmp_path: Path) -> None:
    rec = record("re3d-9db3b77ff7")  # opens "On Monday, Dec. 26, ...": a date in prose
    path = tmp_path / "centcom.txt"
    path.write_text(rec["title"] + "\n\n" + rec["text"], encoding="utf-8")
    [doc] = docs(run(path))
    assert doc.title == rec["title"]
    assert doc.published is None  # never invented from the body


def test_seed_file_and_demo_record_are_exact_duplicates(seed_file: Path, demo_path: Path) -> None:
    items = docs(run(seed_file, demo_path))
    from_file = items[0]
    from_record = next(d for d in items if d.id == "seed-000")
    assert from_file.id != from_record.id
    assert from_file.content_hash == from_record.content_hash


def test_crlf_bom_and_trailing_spaces_do_not_change_the_document(
    tmp_path: Path, seed_text: str
) -> None:
    plain = tmp_path / "a.txt"
    plain.write_text(seed_text, encoding="utf-8")
    messy = tmp_path / "b.txt"
    messy.write_bytes(b"\xef\xbb\xbf" + seed_text.replace("\n", "   \r\n").encode("utf-8"))
    a, b = docs(run(plain, messy))
    assert a.text == b.text and a.id == b.id and a.content_hash == b.content_hash


def test_normalize_text_composes_and_drops_control_characters() -> None:
    # "Qaraqosh", "Daquq": seed place names; "é" decomposed as some Mac tools write it.
    decomposed = "e\u0301galit\u00e9 Qaraqosh\x00\x07 Daquq\u2028next"
    assert normalize_text(decomposed) == "\u00e9galit\u00e9 Qaraqosh Daquq\nnext"


def test_same_input_twice_gives_the_same_documents(seed_file: Path, demo_path: Path) -> None:
    first = [(d.id, d.content_hash, d.title, d.published) for d in docs(run(seed_file, demo_path))]
    again = [(d.id, d.content_hash, d.title, d.published) for d in docs(run(seed_file, demo_path))]
    assert first == again and len(first) == 90


# ---------------------------------------------------------------- ids, urls, outlets


def test_url_id_ignores_tracking_parameters_scheme_and_fragment() -> None:
    rec = record("re3d-e7e0ebec53")
    url = rec["url"]
    variant = url.replace("http://www.", "https://") + "?utm_source=twitter&fbclid=x#top"
    a = make_document(rec["text"], url=url)
    b = make_document(rec["text"], url=variant)
    assert a.id == b.id
    assert a.outlet == "centcom.mil"
    assert normalize_url(url).startswith("centcom.mil/MEDIA/")
    # A different article on the same site is a different document.
    other = record("re3d-9db3b77ff7")
    assert make_document(other["text"], url=other["url"]).id != a.id


def test_record_id_wins_over_url_and_text() -> None:
    rec = record("re3d-e7e0ebec53")
    doc = make_document(rec["text"], id=rec["id"], url=rec["url"], outlet=rec["outlet"])
    assert doc.id == "re3d-e7e0ebec53"
    assert doc.outlet == "U.S. Central Command"


# ------------------------------------------------------------------ folders and globs


def test_folder_is_read_recursively_in_a_stable_order(tmp_path: Path, seed_text: str) -> None:
    rec = record("re3d-9db3b77ff7")
    (tmp_path / "b" / "deeper").mkdir(parents=True)
    (tmp_path / "a.txt").write_text(seed_text, encoding="utf-8")
    (tmp_path / "b" / "deeper" / "c.md").write_text(rec["title"] + "\n\n" + rec["text"])
    first = run(tmp_path)
    assert [d.source for d in docs(first)] == [
        str(tmp_path / "a.txt"),
        str(tmp_path / "b" / "deeper" / "c.md"),
    ]
    assert [d.id for d in docs(run(tmp_path))] == [d.id for d in docs(first)]


def test_hidden_and_binary_files_are_reported_and_skipped(tmp_path: Path, seed_text: str) -> None:
    (tmp_path / "seed.txt").write_text(seed_text, encoding="utf-8")
    (tmp_path / ".seed.txt.swp").write_text(seed_text, encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    # A real binary: the seed compressed (gzip output holds NUL bytes).
    (tmp_path / "seed.txt.gz").write_bytes(gzip.compress(seed_text.encode("utf-8"), mtime=0))
    items = run(tmp_path)
    assert [d.source for d in docs(items)] == [str(tmp_path / "seed.txt")]
    reasons = {Path(f.source).name: f.reason for f in failures(items)}
    assert reasons == {
        ".git": errors.HIDDEN,
        ".seed.txt.swp": errors.HIDDEN,
        "seed.txt.gz": errors.BINARY,
    }


def test_glob_selects_by_pattern_recursively(tmp_path: Path, seed_text: str) -> None:
    (tmp_path / "x" / "y").mkdir(parents=True)
    (tmp_path / "x" / "y" / "seed.md").write_text(seed_text, encoding="utf-8")
    (tmp_path / "x" / "notes.txt").write_text(seed_text, encoding="utf-8")
    items = run(f"{tmp_path}/**/*.md")
    assert [d.source for d in docs(items)] == [str(tmp_path / "x" / "y" / "seed.md")]
    [miss] = run(f"{tmp_path}/**/*.html")
    assert isinstance(miss, Failure) and miss.reason == errors.NO_MATCH


def test_missing_path_is_a_failure(tmp_path: Path) -> None:
    [f] = run(tmp_path / "nope.txt")
    assert isinstance(f, Failure) and f.reason == errors.NOT_FOUND


# ----------------------------------------------------------------------- bad input


def test_empty_and_blank_files_are_failures(tmp_path: Path, seed_file: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.md").write_text("\n   \n\t\n")
    items = run(tmp_path / "empty.txt", tmp_path / "blank.md", seed_file)
    assert [(Path(f.source).name, f.reason) for f in failures(items)] == [
        ("empty.txt", errors.EMPTY),
        ("blank.md", errors.EMPTY),
    ]
    assert len(docs(items)) == 1  # the rest of the batch is read


def test_file_over_the_cap_is_refused_from_its_size(tmp_path: Path, seed_file: Path) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as fh:
        fh.truncate(100 * 1024 * 1024)  # sparse: no data is written
    items = run(huge, seed_file)
    [f] = failures(items)
    assert f.source == str(huge)
    assert f.reason == errors.TOO_LARGE.format(size=100 * 1024 * 1024, cap=64 * 1024 * 1024)
    assert len(docs(items)) == 1


def test_text_over_max_document_chars_is_a_failure(seed_file: Path) -> None:
    [f] = run(seed_file, max_document_chars=1000)
    assert isinstance(f, Failure) and f.reason.startswith("text too long")


# ------------------------------------------------------------------------- charsets


def test_windows_1256_arabic_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "udhr-ar.txt"
    path.write_bytes(("المادة 1\n\n" + UDHR1_AR).encode("cp1256"))
    [doc] = docs(run(path))
    assert doc.text == "المادة 1\n\n" + UDHR1_AR
    assert doc.lang == "ar"


@pytest.mark.parametrize(("text", "lang"), [(UDHR1_FR, "fr"), (UDHR1_ES, "es")])
def test_latin_1_text_is_decoded(tmp_path: Path, text: str, lang: str) -> None:
    path = tmp_path / f"udhr-{lang}.txt"
    path.write_bytes(text.encode("latin-1"))
    [doc] = docs(run(path))
    assert doc.text == text  # no mojibake: "égaux", not "Ă©gaux" or "ęgaux"
    assert doc.lang == lang


def test_windows_1251_russian_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "udhr-ru.txt"
    path.write_bytes(UDHR1_RU.encode("cp1251"))
    [doc] = docs(run(path))
    assert doc.text == UDHR1_RU and doc.lang == "ru"


def test_utf8_is_preferred_when_it_decodes(seed_text: str) -> None:
    data = seed_text.encode("utf-8")  # curly quotes and dashes: multi-byte
    assert decode_bytes(data) == seed_text
    # A mislabelled page (UTF-8 bytes, "iso-8859-1" header) still reads right.
    assert decode_bytes(data, content_type="text/html; charset=iso-8859-1") == seed_text


def test_utf16_with_bom_is_decoded(tmp_path: Path, seed_text: str) -> None:
    path = tmp_path / "seed-utf16.txt"
    path.write_bytes(seed_text.encode("utf-16"))  # BOM + NUL bytes: text, not binary
    [doc] = docs(run(path))
    assert doc.title == SEED_TITLE


def test_declared_charset_decides_a_short_text() -> None:
    # Too short for detection to be sure; the HTTP header says which code page it is.
    title = "المادة 1"
    data = title.encode("cp1256")
    assert decode_bytes(data, content_type="text/plain; charset=windows-1256") == title
    meta = b'<html><head><meta charset="windows-1256"></head><body><p>' + data + b"</p>"
    assert title in decode_bytes(meta)


# ------------------------------------------------------------------------- language


def test_language_guess() -> None:
    assert detect_lang(record("re3d-e7e0ebec53")["text"]) == "en"
    assert detect_lang(UDHR1_AR) == "ar"
    assert detect_lang(UDHR1_FR) == "fr"
    assert detect_lang(UDHR1_ES) == "es"
    assert detect_lang(UDHR1_RU) == "ru"
    assert detect_lang(UDHR1_UK) == "uk"
    # MUC-style upper case reads the same; a bare headline is too little evidence.
    assert detect_lang(record("re3d-e7e0ebec53")["text"].upper()) == "en"
    assert detect_lang(SEED_TITLE) is None


def test_record_language_is_kept_as_its_primary_subtag() -> None:
    doc = make_document(UDHR1_FR, lang="fr-FR")
    assert doc.lang == "fr"
    assert make_document(UDHR1_FR, lang="EN").lang == "en"  # the record's word wins


def test_a_text_that_begins_with_its_headline_keeps_it_once(seed_text: str) -> None:
    # The seed's text opens with its headline; a body without it (the demo's State
    # Department releases) gets it as a first paragraph (tests/test_extract.py).
    doc = make_document(seed_text, title=SEED_TITLE)
    assert doc.text == normalize_text(seed_text)
    assert doc.text.count(SEED_TITLE) == 1
    assert with_headline("", SEED_TITLE) == ""


def test_demo_corpus_reads_unchanged(demo_path: Path) -> None:
    items = run(demo_path)
    assert not failures(items)
    by_id = {d.id: d for d in docs(items)}
    for rec in demo_records():
        doc = by_id[rec["id"]]
        assert doc.title == " ".join(rec["title"].split())  # one title a line
        assert doc.url == rec["url"]
        assert doc.outlet == rec["outlet"]
        assert doc.dataset == rec["dataset"]
        assert doc.lang == rec["lang"]
        assert doc.published == (date.fromisoformat(rec["published"]) if rec["published"] else None)
        assert doc.text == with_headline(normalize_text(rec["text"]), doc.title)
    assert json.dumps(sorted(by_id)) == json.dumps(sorted(r["id"] for r in demo_records()))


def test_markdown_front_matter_gives_metadata_and_is_cut(tmp_path: Path, seed_text: str) -> None:
    body = seed_text.split("25/10/2016", 1)[1].strip()
    front = f'---\ntitle: "{SEED_TITLE}"\ndate: 2016-10-25 14:05:00 +0000\noutlet: RT\n---\n'
    path = tmp_path / "seed.md"
    path.write_text(front + body, encoding="utf-8")
    [doc] = docs(run(path))
    assert doc.title == SEED_TITLE
    assert doc.published == date(2016, 10, 25)
    assert doc.outlet == "RT"
    assert doc.text == f"{SEED_TITLE}\n\n{body}" and "---" not in doc.text
    assert len(doc.embedded) == 2


def test_bad_inputs_are_skipped_and_a_second_run_changes_nothing(
    tmp_path: Path, seed_text: str, demo_path: Path
) -> None:
    from tolltrace.pipeline import ingest_into
    from tolltrace.store import Store

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "seed.txt").write_text(seed_text, encoding="utf-8")
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "seed.txt.gz").write_bytes(gzip.compress(seed_text.encode("utf-8"), mtime=0))
    lines = demo_path.read_text(encoding="utf-8").splitlines()
    (inbox / "cut.jsonl").write_text(lines[1] + "\n" + lines[2][:300], encoding="utf-8")
    (inbox / "feed.rss").write_text(seed_text, encoding="utf-8")
    cfg = settings(db=f"sqlite:///{tmp_path / 't.db'}")

    def snapshot() -> list[tuple[str, str, str | None]]:
        with Store(cfg.db) as store:
            return sorted((d.id, d.content_hash, d.title) for d in store.iter_documents())

    with Store(cfg.db) as store:
        first = ingest_into(store, [str(inbox), str(demo_path)], cfg)
    stored = snapshot()
    with Store(cfg.db) as store:
        second = ingest_into(store, [str(inbox), str(demo_path)], cfg)
    assert sorted(Path(f.source).name for f in first.failures) == [
        "cut.jsonl:2",
        "empty.txt",
        "feed.rss",
        "seed.txt.gz",
    ]
    # seed.txt and cut.jsonl:1 are new; the demo's seed record duplicates seed.txt and
    # its line 2 duplicates cut.jsonl:1.
    assert (first.added, first.duplicates) == (2 + 87, 2)
    assert (second.added, second.duplicates) == (0, 91)
    assert [f.source for f in second.failures] == [f.source for f in first.failures]
    assert snapshot() == stored and len(stored) == 89


@pytest.mark.parametrize(
    ("url", "published"),
    [
        ("https://example.org/news/2016/01/27/man-shot/", date(2016, 1, 27)),
        ("https://example.org/crime-courts/2016-01-21/arrest-made", date(2016, 1, 21)),
        ("https://example.org/local/ct-met-shooting-20130127-story.html", date(2013, 1, 27)),
        ("https://example.org/us-news/2016/jan/26/shooting", date(2016, 1, 26)),
        # a day must end its path segment; the month alone is no day
        ("https://example.org/2015/12/11-year-old-shot.html/", None),
        ("https://www.state.gov/r/pa/prs/ps/2015/09/247470.htm", None),
        # a web archive's crawl time is no publication date
        ("http://web.archive.org/web/20160618164130/http://example.org/a/865594341/", None),
        ("https://example.org/story?date=2016-01-27", None),
    ],
)
def test_a_record_without_a_date_takes_its_urls(
    tmp_path: Path, url: str, published: date | None
) -> None:
    rec = {"id": "r1", "title": "Headline", "text": "Body text of the report.", "url": url}
    path = tmp_path / "r.jsonl"
    path.write_text(json.dumps(rec) + "\n", encoding="utf-8")
    [doc] = docs(run(path))
    assert doc.published == published
    # a record's own date wins over its URL's
    path.write_text(json.dumps({**rec, "published": "2016-02-01"}) + "\n", encoding="utf-8")
    [doc] = docs(run(path))
    assert doc.published == date(2016, 2, 1)
