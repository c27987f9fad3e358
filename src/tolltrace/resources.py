"""Heavy things a stage needs (the spaCy pipeline, the gazetteer), loaded on first use.

One :class:`Resources` is made per process (per Dask worker) and handed to the stages;
nothing is loaded at import time and no stage keeps module-level state.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from tolltrace import errors
from tolltrace.settings import Settings

if TYPE_CHECKING:
    from spacy.language import Language


class Resources:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @cached_property
    def nlp(self) -> Language:
        import spacy

        try:
            # The parser is used on the few sentences that can hold a claim; NER and the
            # tagger feed place, claimant and perpetrator detection. Lemmatizer unused.
            return spacy.load(self.settings.spacy_model, exclude=["lemmatizer"])
        except OSError as exc:
            raise errors.ModelNotFound(self.settings.spacy_model) from exc

    @cached_property
    def gazetteer(self) -> Any:
        from tolltrace.resolve import load_gazetteer

        return load_gazetteer(self.settings)
