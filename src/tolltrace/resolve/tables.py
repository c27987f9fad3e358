"""The editable tables of resolution (``src/tolltrace/data/resolve/*.tsv``).

Tab-separated, ``#`` starts a comment line. Read once by :func:`load_tables` (outside
the stages) and handed to them inside the :class:`~tolltrace.resolve.Gazetteer`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from tolltrace.resolve.names import norm

__all__ = ["ClaimantAlias", "Tables", "english_words", "load_tables", "read_tsv"]


@dataclass(frozen=True, slots=True)
class ClaimantAlias:
    name: str
    kind: str
    acronym: bool = False  # written in capitals in the table (UN, AP, WHO): match as written


@dataclass(frozen=True, slots=True)
class Tables:
    # demonym (normalized) -> ISO alpha-2: "iraqi" -> "IQ"
    demonyms: dict[str, str] = field(default_factory=dict)
    # normalized alias -> ISO codes or GeoNames ids ("nineveh" -> ("IQ-NI",))
    place_aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # "Ill." -> "IL" (kept as written: case and dots matter in datelines)
    state_abbreviations: dict[str, str] = field(default_factory=dict)
    # normalized alias -> claimant ("russian mod" -> Russian Ministry of Defence, party)
    claimants: dict[str, ClaimantAlias] = field(default_factory=dict)
    # normalized words that are gazetteer names but rarely places in news text
    not_places: frozenset[str] = frozenset()
    # English stop words ("were", "be", "them"): never a place on their own
    stopwords: frozenset[str] = frozenset()
    # words news domains wrap around a place name ("houston" + "chronicle")
    outlet_words: frozenset[str] = frozenset()
    # English words (WordNet's lemmas, from the spaCy pipeline's lemmatizer tables,
    # lower case): in upper-case text, a mention made only of such words ("MIDAIR",
    # "RESIDENTIAL AREAS") is no name; empty when the pipeline ships no such tables
    english: frozenset[str] = frozenset()
    # names of world regions ("Middle East"): never a town (regions.txt)
    regions: frozenset[str] = frozenset()
    # verbs after a country that make it the party speaking (speaker_verbs.txt)
    speaker_verbs: frozenset[str] = frozenset()
    # words written with a period inside a sentence ("Aug", "Sgt"; abbreviations.txt),
    # lower case
    abbreviations: frozenset[str] = frozenset()
    # words that open the account of another event ("meanwhile"; new_event_words.txt)
    new_event_words: frozenset[str] = frozenset()
    # words that follow a place's name in the names of its own institutions and parts
    # ("Mobile Police", "Orange County"; after_place_words.txt), lower case
    after_place: frozenset[str] = frozenset()


def _word_list(name: str, key: Callable[[str], str] = str.lower) -> frozenset[str]:
    """The first column of a shipped one-word-a-line data file, keyed by ``key``."""
    return frozenset(key(r[0]) for r in read_tsv(text=_data(name)) if r and r[0])


def read_tsv(path: Path | None = None, *, text: str | None = None) -> Iterator[list[str]]:
    """Rows of a tab-separated table; blank lines and ``#`` comments skipped."""
    if text is None:
        assert path is not None
        text = path.read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        yield [c.strip() for c in line.split("\t")]


def _data(name: str) -> str:
    folder = resources.files("tolltrace").joinpath("data").joinpath("resolve")
    return folder.joinpath(name).read_text("utf-8")


def english_words(spacy_model: str) -> frozenset[str]:
    """The English words of the spaCy pipeline ``spacy_model`` (a package name or a
    folder): its rule lemmatizer's lemma index (WordNet's nouns, verbs, adjectives and
    adverbs) and irregular forms, single words only. Empty when the pipeline is not
    installed or has no such tables; no model is loaded (one file is read, ~0.1 s)."""
    try:
        import spacy.util
        from spacy.lookups import Lookups

        folder = Path(spacy_model)
        if not folder.is_dir():
            folder = spacy.util.get_package_path(spacy_model)
        words: set[str] = set()
        for lookups_dir in sorted(folder.glob("**/lemmatizer/lookups")):
            lookups = Lookups().from_disk(lookups_dir)
            if lookups.has_table("lemma_index"):
                for forms in lookups.get_table("lemma_index").values():
                    words.update(w for w in forms if w.isalpha())
            if lookups.has_table("lemma_exc"):
                for table in lookups.get_table("lemma_exc").values():
                    words.update(w for w in table if w.isalpha())
            break
    except (ImportError, OSError, ValueError, KeyError):
        return frozenset()
    return frozenset(words)


def load_tables(claimants_file: Path | None = None, *, spacy_model: str | None = None) -> Tables:
    """Read the shipped tables; ``claimants_file`` adds (and overrides) claimant rows;
    ``spacy_model`` gives the English word list (:func:`english_words`)."""
    demonyms = {norm(r[0]): r[1] for r in read_tsv(text=_data("demonyms.tsv")) if len(r) >= 2}
    aliases: dict[str, tuple[str, ...]] = {}
    for r in read_tsv(text=_data("place_aliases.tsv")):
        if len(r) >= 2:
            key = norm(r[0])
            aliases[key] = (*aliases.get(key, ()), r[1])
    states = {r[0]: r[1] for r in read_tsv(text=_data("us_state_abbreviations.tsv")) if len(r) >= 2}
    claimants: dict[str, ClaimantAlias] = {}
    sources = [_data("claimants.tsv")]
    if claimants_file is not None:
        sources.append(claimants_file.read_text(encoding="utf-8"))
    for src in sources:
        for r in read_tsv(text=src):
            if len(r) >= 3:
                acronym = r[0].isupper() and len(norm(r[0])) <= 5
                claimants[norm(r[0])] = ClaimantAlias(r[1], r[2], acronym)
    not_places = _word_list("not_places.txt", norm)
    from spacy.lang.en.stop_words import STOP_WORDS  # a word list; no model is loaded

    outlet_words = _word_list("outlet_words.txt")
    english = english_words(spacy_model) if spacy_model else frozenset()
    regions = _word_list("regions.txt", norm)
    speaker_verbs = _word_list("speaker_verbs.txt")
    abbreviations = _word_list("abbreviations.txt")
    new_event_words = _word_list("new_event_words.txt")
    after_place = _word_list("after_place_words.txt")
    return Tables(
        demonyms,
        aliases,
        states,
        claimants,
        not_places,
        frozenset(STOP_WORDS),
        outlet_words,
        english,
        regions,
        speaker_verbs,
        abbreviations,
        new_event_words,
        after_place,
    )
