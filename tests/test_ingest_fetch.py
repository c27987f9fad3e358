"""URLs and feeds over HTTP, from a real local server on 127.0.0.1.

The server is ``http.server`` in a thread, with handlers that serve pages and feeds
built around real text (the seed, CENTCOM press releases of the demo corpus), and that
answer 404, redirect in a loop or forever, sleep past the timeout, send a huge body, or
send an image. Tests switch ``allow_private_addresses`` on to reach it, except the one
that checks it is refused by default. Nothing here needs the network.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from datetime import date
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from tests.conftest import demo_records
from tolltrace import errors
from tolltrace.errors import InputError
from tolltrace.ingest import fetch as fetch_module
from tolltrace.ingest import ingest
from tolltrace.ingest.core import with_headline
from tolltrace.ingest.fetch import Fetcher, check_host
from tolltrace.records import Document, Failure
from tolltrace.settings import Settings, load_settings

HOSPITAL = "re3d-e7e0ebec53"  # "Coalition Strikes Mosul Hospital", CENTCOM (public domain)
KUWAITI = "re3d-9db3b77ff7"  # "Death of Abu Jandal al-Kuwaiti", CENTCOM (public domain)
# Universal Declaration of Human Rights, art. 1, official UN Arabic text.
UDHR1_AR = (
    "يولد جميع الناس أحرارًا متساوين في الكرامة والحقوق. وهم قد وهبوا العقل والوجدان "
    "وعليهم أن يعاملوا بعضهم بعضًا بروح الإخاء."
)
SLEEP = 3.0  # the /slow handler's delay; tests use a timeout well under it


def record(doc_id: str) -> dict[str, Any]:
    return next(r for r in demo_records() if r["id"] == doc_id)


def paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]


def article_html(rec: dict[str, Any]) -> bytes:
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs(rec["text"]))
    return (
        f"<!DOCTYPE html><html lang='en'><head><title>{escape(rec['title'])}</title>"
        "<meta property='og:site_name' content='U.S. Central Command'>"
        "<meta property='article:published_time' content='2016-12-27'>"
        "<script>var marker = 'SCRIPT-MARKER';</script></head>"
        f"<body><article><h1>{escape(rec['title'])}</h1>{body}</article></body></html>"
    ).encode()


class Handler(BaseHTTPRequestHandler):
    hits: list[str]  # set per server

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def send(self, status: int, body: bytes, ctype: str, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers.items():
            self.send_header(k.replace("_", "-"), v)
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        self.hits.append(self.path)
        path = self.path
        if path == "/hospital":
            self.send(200, article_html(record(HOSPITAL)), "text/html; charset=utf-8")
        elif path == "/kuwaiti":
            self.send(200, article_html(record(KUWAITI)), "text/html; charset=utf-8")
        elif path == "/arabic.txt":
            self.send(200, UDHR1_AR.encode("cp1256"), "text/plain; charset=windows-1256")
        elif path == "/feed":
            self.send(200, self.feed(), "application/rss+xml")
        elif path == "/moved":
            self.redirect("/hospital")
        elif path == "/loop":
            self.redirect("/loop")
        elif path.startswith("/hop/"):
            self.redirect(f"/hop/{int(path.rsplit('/', 1)[1]) + 1}")
        elif path == "/slow":
            time.sleep(SLEEP)
            self.send(200, article_html(record(HOSPITAL)), "text/html")
        elif path == "/huge-declared":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(50 * 1024 * 1024))
            self.end_headers()
        elif path == "/huge-stream":
            # No Content-Length: the body ends when the connection closes (HTTP/1.0).
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            chunk = (paragraphs(record(HOSPITAL)["text"])[0] + "\n").encode() * 64
            try:
                for _ in range(2000):  # about 30 MB if nobody stops reading
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif path == "/logo.png":
            self.send(200, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png")
        else:
            self.send(404, b"<h1>Not Found</h1>", "text/html")

    def feed(self) -> bytes:
        host = f"http://{self.headers['Host']}"
        items = "".join(
            f"<item><title>{escape(r['title'])}</title><link>{host}/{slug}</link>"
            "<pubDate>Tue, 27 Dec 2016 10:00:00 GMT</pubDate>"
            f"<description>{escape(paragraphs(r['text'])[0][:60])}</description></item>"
            for r, slug in ((record(HOSPITAL), "hospital"), (record(KUWAITI), "missing"))
        )
        return (
            "<?xml version='1.0'?><rss version='2.0'><channel><title>CENTCOM</title>"
            f"<link>{host}/</link>{items}</channel></rss>"
        ).encode()


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, list[str]]]:
    hits: list[str] = []
    handler = type("H", (Handler,), {"hits": hits})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", hits
    finally:
        httpd.shutdown()
        httpd.server_close()


def settings(**overrides: Any) -> Settings:
    base: dict[str, Any] = {"allow_private_addresses": True, "fetch_timeout": 2.0}
    return load_settings({**base, **overrides}, environ={})


def run(*urls: str, **overrides: Any) -> list[Document | Failure]:
    return list(ingest(list(urls), settings(**overrides)))


def only(items: list[Document | Failure]) -> Document | Failure:
    assert len(items) == 1, items
    return items[0]


# ----------------------------------------------------------------------- successes


def test_page_gives_text_title_date_outlet_and_url(server: tuple[str, list[str]]) -> None:
    base, _ = server
    doc = only(run(f"{base}/hospital"))
    assert isinstance(doc, Document)
    rec = record(HOSPITAL)
    assert paragraphs(rec["text"])[0] in doc.text
    assert "SCRIPT-MARKER" not in doc.text
    assert doc.title == rec["title"]
    assert doc.published == date(2016, 12, 27)
    assert doc.outlet == "U.S. Central Command"
    assert doc.url == f"{base}/hospital"
    assert doc.source == f"{base}/hospital"
    again = only(run(f"{base}/hospital"))
    assert isinstance(again, Document) and (again.id, again.content_hash) == (
        doc.id,
        doc.content_hash,
    )


def test_a_redirect_is_followed_and_the_final_url_kept(server: tuple[str, list[str]]) -> None:
    base, _ = server
    doc = only(run(f"{base}/moved"))
    assert isinstance(doc, Document) and doc.url == f"{base}/hospital"


def test_http_content_type_charset_decodes_arabic(server: tuple[str, list[str]]) -> None:
    base, _ = server
    doc = only(run(f"{base}/arabic.txt"))
    assert isinstance(doc, Document) and doc.text == UDHR1_AR and doc.lang == "ar"


def test_feed_url_gives_entries(server: tuple[str, list[str]]) -> None:
    base, _ = server
    items = run(f"{base}/feed")
    assert [type(i).__name__ for i in items] == ["Document", "Document"]
    first = items[0]
    assert isinstance(first, Document)
    assert first.url == f"{base}/hospital"
    assert first.published == date(2016, 12, 27)
    summary = paragraphs(record(HOSPITAL)["text"])[0][:60].strip()
    assert first.text == with_headline(summary, first.title)


def test_feed_pages_are_fetched_when_entries_only_have_a_summary(
    server: tuple[str, list[str]],
) -> None:
    base, _ = server
    items = run(f"{base}/feed", fetch_feed_pages=True)
    full = items[0]
    assert isinstance(full, Document)
    assert full.text.endswith(paragraphs(record(HOSPITAL)["text"])[-1])  # the whole page
    assert full.url == f"{base}/hospital"
    assert full.title == record(HOSPITAL)["title"]
    # The second entry links to a 404: its summary is kept and the fetch reported.
    assert isinstance(items[1], Failure) and items[1].source == f"{base}/missing"
    assert "HTTP 404" in items[1].reason
    summary = items[2]
    assert isinstance(summary, Document) and summary.url == f"{base}/missing"


# ------------------------------------------------------------------------ failures


def test_404(server: tuple[str, list[str]]) -> None:
    base, _ = server
    f = only(run(f"{base}/no-such-page"))
    assert isinstance(f, Failure) and f.reason == "HTTP 404 Not Found"


def test_redirect_loop(server: tuple[str, list[str]]) -> None:
    base, _ = server
    f = only(run(f"{base}/loop"))
    assert isinstance(f, Failure)
    assert f.reason == errors.REDIRECT_LOOP.format(url=f"{base}/loop")


def test_endless_redirects_stop_at_the_cap(server: tuple[str, list[str]]) -> None:
    base, hits = server
    before = len(hits)
    f = only(run(f"{base}/hop/0", fetch_max_redirects=3))
    assert isinstance(f, Failure)
    assert f.reason == errors.TOO_MANY_REDIRECTS.format(cap=3)
    assert hits[before:] == ["/hop/0", "/hop/1", "/hop/2", "/hop/3"]


def test_timeout(server: tuple[str, list[str]]) -> None:
    base, _ = server
    t0 = time.monotonic()
    f = only(run(f"{base}/slow", fetch_timeout=0.5))
    assert isinstance(f, Failure) and f.reason == errors.TIMEOUT.format(seconds=0.5)
    assert time.monotonic() - t0 < SLEEP


@pytest.mark.parametrize("path", ["/huge-declared", "/huge-stream"])
def test_body_over_the_cap(server: tuple[str, list[str]], path: str) -> None:
    base, _ = server
    f = only(run(f"{base}{path}", fetch_max_bytes=1_000_000))
    assert isinstance(f, Failure)
    assert f.reason == errors.FETCH_TOO_LARGE.format(cap=1_000_000)


def test_content_type_outside_the_list_is_refused(server: tuple[str, list[str]]) -> None:
    base, _ = server
    f = only(run(f"{base}/logo.png"))
    assert isinstance(f, Failure) and f.reason == errors.CONTENT_TYPE.format(ctype="image/png")


def test_connection_refused() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed on exit: nothing listens there
    f = only(run(f"http://127.0.0.1:{port}/"))
    assert isinstance(f, Failure) and f.reason.startswith("cannot connect")


def test_loopback_is_refused_by_default(server: tuple[str, list[str]]) -> None:
    base, hits = server
    before = len(hits)
    items = run(f"{base}/hospital", "http://localhost/", allow_private_addresses=False)
    assert [i.reason for i in items if isinstance(i, Failure)] == [
        errors.PRIVATE_ADDRESS.format(host="127.0.0.1"),
        errors.PRIVATE_ADDRESS.format(host="localhost"),
    ]
    assert hits[before:] == []  # no request was made


def test_only_http_urls() -> None:
    items = run("file:///etc/passwd", "ftp://127.0.0.1/x", "http://")
    assert [type(i).__name__ for i in items] == ["Failure"] * 3
    assert all(isinstance(i, Failure) and i.reason.startswith("not an http") for i in items)


@pytest.mark.parametrize(
    "address",
    ["10.1.2.3", "192.168.0.1", "169.254.169.254", "::1", "fe80::1", "::ffff:127.0.0.1", "0.0.0.0"],
)
def test_private_link_local_and_mapped_addresses_are_refused(address: str) -> None:
    def resolve(host: str, port: int, **_: Any) -> list[tuple[Any, ...]]:
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    with pytest.raises(InputError, match="private, loopback or link-local"):
        check_host("news.example", 80, resolve)


def test_every_redirect_hop_is_checked() -> None:
    # A public page that redirects to an internal host (a classic SSRF trick). The
    # transport is a mock, the resolver a table: no network, no real DNS.
    addresses = {"news.example": "93.184.215.14", "intranet.example": "10.0.0.5"}
    seen: list[str] = []

    def resolve(host: str, port: int, **_: Any) -> list[tuple[Any, ...]]:
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (addresses[host], port))]

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(302, headers={"Location": "http://intranet.example/admin"})

    client = httpx.Client(transport=httpx.MockTransport(handler))
    fetcher = Fetcher(settings(allow_private_addresses=False), client, resolve=resolve)
    with pytest.raises(InputError) as exc:
        fetcher.fetch("http://news.example/story")
    assert str(exc.value) == errors.PRIVATE_ADDRESS.format(host="intranet.example")
    assert seen == ["http://news.example/story"]


def test_ingest_uses_the_client_it_is_given() -> None:
    # httpx's mock transport: the network test is a plain function call.
    rec = record(KUWAITI)

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=article_html(rec), headers={"Content-Type": "text/html"})

    client = httpx.Client(transport=httpx.MockTransport(handler))
    items = list(ingest([rec["url"]], settings(), client=client))
    doc = only(items)
    assert isinstance(doc, Document)
    assert doc.url == rec["url"] and doc.outlet == "U.S. Central Command"
    assert "Abu Jandal al-Kuwaiti" in doc.text
    assert not client.is_closed  # a caller's client is the caller's to close


def test_connection_is_pinned_to_the_checked_address(
    server: tuple[str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    # "centcom.example" exists only in this resolver; the local server stands in for a
    # public host (the address check is told 127.0.0.1 is public). The page arrives
    # only if the connection goes to the address the check saw, not to a fresh lookup.
    base, _ = server
    port = int(base.rsplit(":", 1)[1])
    monkeypatch.setattr(fetch_module, "_refused", lambda ip: False)

    def resolve(host: str, port: int, **_: Any) -> list[tuple[Any, ...]]:
        assert host == "centcom.example"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    with Fetcher(settings(allow_private_addresses=False), resolve=resolve) as fetcher:
        page = fetcher.fetch(f"http://centcom.example:{port}/kuwaiti")
    assert b"Abu Jandal al-Kuwaiti" in page.body


def test_dns_rebinding_is_refused_at_connect_time(server: tuple[str, list[str]]) -> None:
    # The first lookup (the check before the request) says public, the next one (when
    # connecting) says loopback: the connection must not be made.
    base, hits = server
    port = int(base.rsplit(":", 1)[1])
    answers = iter(["93.184.215.14", "127.0.0.1"])

    def resolve(host: str, port: int, **_: Any) -> list[tuple[Any, ...]]:
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers, "127.0.0.1"), port))]

    before = len(hits)
    fetcher = Fetcher(settings(allow_private_addresses=False), resolve=resolve)
    with fetcher, pytest.raises(InputError) as exc:
        fetcher.fetch(f"http://rebind.example:{port}/hospital")
    assert str(exc.value) == errors.PRIVATE_ADDRESS.format(host="rebind.example")
    assert hits[before:] == []
