"""spaCy's blank English with the lookup lemmatiser (tables from the spacy-lookups-data package, no downloaded
model), built once per process and shared by the safety rules and the intent classifier."""
from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language


@lru_cache(maxsize=1)
def lookup_lemmatiser() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    return nlp
