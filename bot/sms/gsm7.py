"""Text that fits SMS: GSM-7 characters only (so a part never falls to 70 characters), 160 per part."""
from __future__ import annotations

import re
import unicodedata
from typing import Dict, List

SMS_PART_LIMIT = 160
GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = set("^{}\\[~]|€\f")  # each costs two characters
REPLACEMENTS: Dict[str, str] = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-",
    "\u2026": "...", "\u2022": "-", "\u00b7": "-", "\u00a0": " ", "\u2009": " ", "\u200b": "", "\t": " ",
}
MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\([^)]+\)")
SENTENCE_END = re.compile(r"(?<=[.!?:])\s+|\n+")


def gsm7_length(text: str) -> int:
    return sum(2 if char in GSM7_EXTENDED else 1 for char in text)


def to_gsm7(text: str) -> str:
    """Replaces what GSM-7 lacks: curly quotes, long dashes, emoji; accents fold to their base letter."""
    text = MARKDOWN_LINK.sub(r"\1", text)
    out = []
    for char in text:
        char = REPLACEMENTS.get(char, char)
        if all(c in GSM7_BASIC or c in GSM7_EXTENDED for c in char):
            out.append(char)
            continue
        folded = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
        out.append(folded if folded and all(c in GSM7_BASIC for c in folded) else "")
    joined = re.sub(r"[ ]{2,}", " ", "".join(out))
    return re.sub(r" +([.,!?;:])", r"\1", joined).strip()


def _pack(pieces: List[str], limit: int) -> List[str]:
    """Joins pieces with spaces into as few parts of at most `limit` characters as their order allows."""
    parts, current = [], ""
    for piece in pieces:
        candidate = f"{current} {piece}".strip()
        if gsm7_length(candidate) <= limit:
            current = candidate
        else:
            parts.extend([current] if current else [])
            current = piece
    return parts + ([current] if current else [])


def _words(sentence: str, limit: int) -> List[str]:
    """A sentence too long for one part as words, with any word longer than a part cut into pieces."""
    words: List[str] = []
    for word in sentence.split():
        while gsm7_length(word) > limit:
            words.append(word[:limit])
            word = word[limit:]
        words.append(word)
    return _pack(words, limit)


def split_sms(text: str, limit: int = SMS_PART_LIMIT) -> List[str]:
    """Parts of at most `limit` GSM-7 characters, cut at sentence boundaries, or between words if one is too long."""
    text = to_gsm7(text)
    if gsm7_length(text) <= limit:
        return [text] if text else []
    sentences = filter(None, (s.strip() for s in SENTENCE_END.split(text)))
    return _pack([piece for sentence in sentences for piece in _words(sentence, limit)], limit)


def numbered_choices(titles: List[str]) -> str:
    """Buttons as text: "Reply 1 for What to expect, 2 for Side effects"."""
    return "Reply " + ", ".join(f"{number} for {title}" for number, title in enumerate(titles, start=1))
