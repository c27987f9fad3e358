"""The extraction lexicons, read from the data files in ``tolltrace/data/extract``.

A :class:`Lexicon` is immutable and built once (:func:`default_lexicon` caches the one
made from the packaged files); a caller may build its own with :func:`load_lexicon` and
pass it to :func:`~tolltrace.extract.extract_claims`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from tolltrace.records import Effect

__all__ = ["Lexicon", "PerpetratorWords", "default_lexicon", "load_lexicon"]

_EFFECT_NAMES: tuple[Effect, ...] = ("killed", "injured", "missing", "abducted", "displaced")


@dataclass(frozen=True)
class PerpetratorWords:
    """``perpetrators.json``: the words that frame, head and bound a doer's phrase."""

    object_doer_verbs: frozenset[str]  # "blamed X for", "X was charged with murder"
    deed_doer_verbs: frozenset[str]  # "X carried out the attack", "claimed by X"
    owning_verbs: frozenset[str]  # "X claimed responsibility for", "X admitted killing"
    responsibility_verbs: frozenset[str]  # own a deed only with "responsibility"
    blame_on_verbs: frozenset[str]  # "blamed the attack on X", "attributed to X"
    responsibility_nouns: frozenset[str]
    deed_nouns: frozenset[str]
    doer_nouns: frozenset[str]  # "the shooter", "the gunman"
    identify_verbs: frozenset[str]
    fire_verbs: frozenset[str]
    victim_subject_verbs: frozenset[str]
    agent_nouns: frozenset[str]
    military_means: frozenset[str]
    event_nouns: frozenset[str]
    place_nouns: frozenset[str]
    generic_doers: frozenset[str]
    hedge_words: frozenset[str]
    time_words: frozenset[str]  # with month names and deed kinds ("fatal", "mass")
    cue: re.Pattern[str]


@dataclass(frozen=True)
class Lexicon:
    # effects
    verbs: dict[str, Effect]  # surface form -> effect, for verbs ("killed", "wounded")
    states: dict[str, Effect]  # adjectives/participles predicated of victims ("dead")
    nouns: dict[str, Effect]  # event nouns ("deaths", "fatalities")
    shot_verbs: frozenset[str]
    fatal_modifiers: frozenset[str]
    particle_verbs: dict[str, Effect]  # need a particle: "gunned down"
    leave_verbs: frozenset[str]
    hospital_verbs: frozenset[str]
    hospital_nouns: frozenset[str]
    conditions: frozenset[str]
    hit_verbs: frozenset[str]
    projectiles: frozenset[str]
    suffer_verbs: frozenset[str]
    injury_nouns: frozenset[str]
    lose_verbs: frozenset[str]  # "lost their lives"
    take_verbs: frozenset[str]  # "took his own life"
    commit_verbs: frozenset[str]  # "committed suicide"
    turn_verbs: frozenset[str]  # "turned the gun on himself"
    turn_objects: frozenset[str]  # "gun", "weapon"
    life_loss_heads: frozenset[str]  # words under which "lives" are deaths
    prefilter: re.Pattern[str]  # phrases that also make a sentence worth parsing
    trigger_words: frozenset[str]
    # numbers
    units: dict[str, int]
    tens: dict[str, int]
    scales: dict[str, int]
    dozen: dict[str, int]
    vague: dict[str, tuple[int | None, int | None, str]]
    qualifiers: dict[str, str]
    suffix_qualifiers: dict[str, str]
    not_after: frozenset[str]
    not_before: frozenset[str]
    year_range: tuple[int, int]
    figure_starts: frozenset[str]  # first words of every figure wording (a fast pre-check)
    numberish: re.Pattern[str]  # a digit or a number/quantity word: can hold a figure
    effect_words: frozenset[str]  # every word that can express an effect (a fast pre-check)
    months: frozenset[str]
    # victims
    person_group: dict[str, str]  # person noun -> group
    group_modifiers: dict[str, str | None]
    descriptors: frozenset[str]
    singular_determiners: frozenset[str]
    person_titles: frozenset[str]
    not_people: frozenset[str]  # plural nouns an effect verb may take that are not people
    # means
    means: dict[str, str | None]  # word or phrase -> means label
    means_stop: frozenset[str]
    means_starts: frozenset[str]
    attack_verbs: frozenset[str]
    # attribution and stance
    speech_verbs: frozenset[str]
    according_to: tuple[str, ...]
    denial_verbs: frozenset[str]
    denial_words: frozenset[str]
    hedges: frozenset[str]
    modals: frozenset[str]
    cumulative: tuple[re.Pattern[str], ...]
    pronoun_claimants: frozenset[str]
    part_markers: tuple[str, ...]
    headline_dashes: tuple[str, ...]
    headline_sources: frozenset[str]
    headline_labels: frozenset[str]
    # perpetrator
    perpetrators: PerpetratorWords

    def effect_of(self, lower: str) -> Effect | None:
        return self.verbs.get(lower) or self.states.get(lower) or self.nouns.get(lower)

    def present_verb(self, lower: str) -> bool:
        """A present-tense form of an effect verb ("kills", "shoots", "wounds"): active
        in a headline, where the past participle ("killed") tells the passive."""
        return (
            lower.endswith("s")
            and not lower.endswith("ss")
            and (lower in self.verbs or lower in self.shot_verbs)
        )


def _read(folder: Path | None, name: str) -> dict[str, Any]:
    if folder is not None:
        text = (folder / name).read_text(encoding="utf-8")
    else:
        text = resources.files("tolltrace").joinpath("data", "extract", name).read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _effect_table(effects: dict[str, Any], kind: str) -> dict[str, Effect]:
    table: dict[str, Effect] = {}
    for effect in _EFFECT_NAMES:
        for word in effects[effect].get(kind, ()):
            table.setdefault(word.lower(), effect)
    return table


def _trigger_words(effects: dict[str, Any]) -> frozenset[str]:
    """Every effect word form that makes a sentence worth parsing on its own."""
    words: set[str] = set()
    for effect in _EFFECT_NAMES:
        for kind in ("verbs", "states", "nouns"):
            words.update(w.lower() for w in effects[effect].get(kind, ()) if " " not in w)
    words.update(effects["shot"]["verbs"])
    for ws in effects["weak_verbs"].values():
        if isinstance(ws, list):
            words.update(ws)
    return frozenset(words - set(effects.get("prefilter_skip", ())))


def load_lexicon(folder: str | Path | None = None) -> Lexicon:
    """Build a :class:`Lexicon` from the JSON files in ``folder`` (default: packaged)."""
    base = Path(folder) if folder is not None else None
    eff = _read(base, "effects.json")
    num = _read(base, "numbers.json")
    vic = _read(base, "victims.json")
    mea = _read(base, "means.json")
    att = _read(base, "attribution.json")
    per = _read(base, "perpetrators.json")

    person_group: dict[str, str] = {}
    for group, words in vic["groups"].items():
        for w in words:
            person_group.setdefault(w.lower(), group)
    vague = {k: (v[0], v[1], v[2]) for k, v in num["vague"].items() if not k.startswith("_")}
    nc = num["not_counts"]
    number_words: set[str] = set()
    for table in ("units", "tens", "scales", "dozen", "vague"):
        for k in num[table]:
            if not k.startswith("_"):
                number_words.update(w for w in k.split(" ") if w not in {"a", "an", "of"})
    numberish = re.compile(
        r"\d|\b(?:"
        + "|".join(sorted(map(re.escape, number_words), key=len, reverse=True))
        + r")\b",
        re.IGNORECASE,
    )
    idioms = eff["idioms"]
    effect_words = set(_trigger_words(eff)) | set(eff.get("prefilter_skip", ()))
    for kind in ("verbs", "states", "nouns"):
        for effect in _EFFECT_NAMES:
            effect_words.update(w.lower() for w in eff[effect].get(kind, ()))
    for key in ("hospital_verbs", "hit_verbs", "suffer_verbs"):
        effect_words.update(idioms[key])
    effect_words.update(eff["shot"]["verbs"])
    starts = {"between", "a", "an"}
    for table in ("units", "tens", "dozen", "vague", "qualifiers"):
        starts.update(k.split(" ")[0].split("-")[0] for k in num[table] if not k.startswith("_"))
    return Lexicon(
        verbs=_effect_table(eff, "verbs"),
        states=_effect_table(eff, "states"),
        nouns=_effect_table(eff, "nouns"),
        shot_verbs=frozenset(eff["shot"]["verbs"]),
        fatal_modifiers=frozenset(eff["shot"]["fatal_modifiers"]),
        particle_verbs={
            w: e for e, ws in eff["weak_verbs"].items() if not e.startswith("_") for w in ws
        },
        leave_verbs=frozenset(eff["leave_verbs"]),
        hospital_verbs=frozenset(eff["idioms"]["hospital_verbs"]),
        hospital_nouns=frozenset(eff["idioms"]["hospital_nouns"]),
        conditions=frozenset(eff["idioms"]["conditions"]),
        hit_verbs=frozenset(eff["idioms"]["hit_verbs"]),
        projectiles=frozenset(eff["idioms"]["projectiles"]),
        suffer_verbs=frozenset(eff["idioms"]["suffer_verbs"]),
        injury_nouns=frozenset(eff["idioms"]["injury_nouns"]),
        lose_verbs=frozenset(eff["idioms"]["lose_verbs"]),
        take_verbs=frozenset(eff["idioms"]["take_verbs"]),
        commit_verbs=frozenset(eff["idioms"]["commit_verbs"]),
        turn_verbs=frozenset(eff["idioms"]["turn_verbs"]),
        turn_objects=frozenset(eff["idioms"]["turn_objects"]),
        life_loss_heads=frozenset(eff["idioms"]["life_loss_heads"]),
        prefilter=re.compile(eff["prefilter"], re.IGNORECASE),
        trigger_words=_trigger_words(eff),
        units=dict(num["units"]),
        tens=dict(num["tens"]),
        scales=dict(num["scales"]),
        dozen=dict(num["dozen"]),
        vague=vague,
        qualifiers={k: v for k, v in num["qualifiers"].items() if not k.startswith("_")},
        suffix_qualifiers=dict(num["suffix_qualifiers"]),
        not_after=frozenset(w.lower() for w in nc["after"]),
        not_before=frozenset(w.lower() for w in nc["before"]),
        year_range=(int(nc["year_range"][0]), int(nc["year_range"][1])),
        figure_starts=frozenset(starts),
        numberish=numberish,
        effect_words=frozenset(effect_words),
        months=frozenset(nc["months"]),
        person_group=person_group,
        group_modifiers=dict(vic["group_modifiers"]),
        descriptors=frozenset(w.lower() for w in vic["descriptors"]),
        singular_determiners=frozenset(vic["singular_determiners"]),
        person_titles=frozenset(vic["person_titles"]),
        not_people=frozenset(w.lower() for w in vic.get("not_people", ())),
        means={k.lower(): v for k, v in mea["means"].items()},
        means_stop=frozenset(mea["means_stop"]),
        means_starts=frozenset(k.lower().split(" ")[0] for k in mea["means"]),
        attack_verbs=frozenset(mea["attack_verbs"]),
        speech_verbs=frozenset(att["speech_verbs"]),
        according_to=tuple(att["according_to"]),
        denial_verbs=frozenset(att["denial_verbs"]),
        denial_words=frozenset(att["denial_words"]),
        hedges=frozenset(att["hedges"]),
        modals=frozenset(att["modals_future"]),
        cumulative=tuple(re.compile(p, re.IGNORECASE) for p in att["cumulative_patterns"]),
        pronoun_claimants=frozenset(att["pronoun_claimants"]),
        part_markers=tuple(att["part_markers"]),
        headline_dashes=tuple(att["headline_suffix_dashes"]),
        headline_sources=frozenset(att["headline_source_nouns"]),
        headline_labels=frozenset(att["headline_labels"]),
        perpetrators=_perpetrator_words(per, frozenset(nc["months"])),
    )


def _perpetrator_words(per: dict[str, Any], months: frozenset[str]) -> PerpetratorWords:
    def words(key: str) -> frozenset[str]:
        return frozenset(w.lower() for w in per[key])

    return PerpetratorWords(
        object_doer_verbs=words("object_doer_verbs"),
        deed_doer_verbs=words("deed_doer_verbs"),
        owning_verbs=words("owning_verbs"),
        responsibility_verbs=words("responsibility_verbs"),
        blame_on_verbs=words("blame_on_verbs"),
        responsibility_nouns=words("responsibility_nouns"),
        deed_nouns=words("deed_nouns"),
        doer_nouns=words("doer_nouns"),
        identify_verbs=words("identify_verbs"),
        fire_verbs=words("fire_verbs"),
        victim_subject_verbs=words("victim_subject_verbs"),
        agent_nouns=words("agent_nouns"),
        military_means=frozenset(per["military_means"]),
        event_nouns=words("event_nouns"),
        place_nouns=words("place_nouns"),
        generic_doers=words("generic_doers"),
        hedge_words=words("hedge_words"),
        time_words=words("time_words") | words("deed_kinds") | months,
        cue=re.compile(per["cue"], re.IGNORECASE),
    )


@cache
def default_lexicon() -> Lexicon:
    """The lexicon built from the packaged data files (read once per process)."""
    return load_lexicon()
