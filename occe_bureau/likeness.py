"""Near-identical names: how alike two folded names are, and finding the look-alikes of a
name among many at once. Used wherever a person is found again by name and asked about
when only nearly the same (donors, training participants).

A key is a folded name (formats.fold); `squash` keeps its letters and digits only;
`likeness` is difflib's ratio over the squashed keys, None below LIKENESS. For many names,
`Comparable` carries a key's letters as a bit mask, `file_entry` files prepared keys by
length, and `alike` finds the entries like one key with cheap bounds before difflib.
"""

from __future__ import annotations

import difflib
import functools
import math
import re
from collections import defaultdict
from dataclasses import dataclass

# Two names this alike (difflib's ratio over the folded letters) are asked about.
LIKENESS = 0.85


def squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text)


def likeness(key: str, other_key: str) -> float | None:
    """How alike two name keys are (1.0: the same letters), or None below LIKENESS. Cheap
    upper bounds first: thousands of donors share a postal code."""
    a, b = squash(key), squash(other_key)
    if not a or not b:
        return None
    if a == b:
        return 1.0
    matcher = difflib.SequenceMatcher(None, a, b)
    if matcher.real_quick_ratio() < LIKENESS or matcher.quick_ratio() < LIKENESS:
        return None
    ratio = matcher.ratio()
    return ratio if ratio >= LIKENESS else None


_LETTERS = {c: i for i, c in enumerate("abcdefghijklmnopqrstuvwxyz0123456789")}
_PER_LETTER = 8  # occurrences of one letter a bit mask counts exactly


@dataclass(slots=True)
class Comparable:
    """A name key ready to compare: squashed, its length, and its letters as a bit mask
    (bit (letter, k) for the k-th occurrence), so that difflib's quick_ratio bound is one
    AND and a bit count; None when a letter comes more often than the mask counts."""

    squashed: str
    mask: int | None

    @classmethod
    def of(cls, key: str) -> Comparable:
        squashed = squash(key)
        seen: dict[str, int] = {}
        mask = 0
        for char in squashed:
            k = seen.get(char, 0)
            if k >= _PER_LETTER:
                return cls(squashed, None)
            seen[char] = k + 1
            mask |= 1 << (_LETTERS[char] * _PER_LETTER + k)
        return cls(squashed, mask)


def likeness_of(a: Comparable, b: Comparable) -> float | None:
    """likeness() of two prepared keys: the same answer, the cheap bounds without difflib."""
    if not a.squashed or not b.squashed:
        return None
    if a.squashed == b.squashed:
        return 1.0
    total = len(a.squashed) + len(b.squashed)
    if 2.0 * min(len(a.squashed), len(b.squashed)) / total < LIKENESS:
        return None
    if a.mask is not None and b.mask is not None:
        if 2.0 * (a.mask & b.mask).bit_count() / total < LIKENESS:
            return None
        ratio = difflib.SequenceMatcher(None, a.squashed, b.squashed).ratio()
        return ratio if ratio >= LIKENESS else None
    return likeness(a.squashed, b.squashed)


def file_entry(by_length: dict, entry: tuple) -> None:
    """Entries filed by the length of their squashed key (None: a key without bit mask),
    with their masks in a list of their own (the letters bound runs over it alone)."""
    masks, entries = by_length.setdefault(
        len(entry[1]) if entry[2] is not None else None, ([], []))
    masks.append(entry[2])
    entries.append(entry)


@functools.cache
def _common_needed(total: int) -> int:
    """The fewest letters two keys of `total` letters must share for difflib's quick_ratio
    (2.0 * common / total) not to fall below LIKENESS, computed as it computes it."""
    need = max(0, math.ceil(LIKENESS * total / 2) - 1)
    while 2.0 * need / total < LIKENESS:
        need += 1
    return need


def _bits(mask: int) -> list[int]:
    bits = []
    while mask:
        low = mask & -mask
        bits.append(low.bit_length() - 1)
        mask ^= low
    return bits


# A group of known donors this large is looked through its letters' postings (built once).
POSTINGS_FROM = 64


def _postings(masks: list[int]) -> dict[int, list[int]]:
    """{bit: the entries whose mask has it} of a filed group."""
    postings: dict[int, list[int]] = defaultdict(list)
    for i, mb in enumerate(masks):
        for bit in _bits(mb):
            postings[bit].append(i)
    return postings


def _near_by_postings(ma: int, la: int, need: int, postings: dict[int, list[int]]):
    """The entries that may share `need` of the la letters of mask `ma`: they miss at most
    la - need of them, so they hold at least one of any la - need + 1 of them (the rarest
    are taken)."""
    bits = sorted(_bits(ma), key=lambda bit: len(postings.get(bit, ())))
    chosen = bits[:la - need + 1]
    near: set[int] = set()
    for bit in chosen:
        near.update(postings.get(bit, ()))
    return sorted(near)


def alike(mine: Comparable, by_length: dict, *, fixed: bool = False) -> list[tuple[float, object]]:
    """(likeness, payload) of the entries (payload, squashed key, mask) filed by file_entry
    that are like `mine`: likeness_of's answer, its length bound taken per length and its
    letters bound as one AND over a list of masks (thousands of donors share a postal code);
    for groups that no longer change (`fixed`), the large ones are looked at through the
    postings of the rarest letters of `mine` that any look-alike must hold."""
    a, ma, la = mine.squashed, mine.mask, len(mine.squashed)
    found = []
    if not la:
        return found
    for lb, group in list(by_length.items()):
        masks, entries = group[0], group[1]
        if lb is None or ma is None:  # a letter too frequent for the mask: the long way
            found += [(ratio, payload) for payload, b, _mb in entries
                      if (ratio := likeness(a, b)) is not None]
            continue
        total = la + lb
        if not lb or 2.0 * min(la, lb) / total < LIKENESS:
            continue
        need = _common_needed(total)
        if fixed and len(masks) >= POSTINGS_FROM and 0 < need <= la:
            if len(group) == 2:  # built once, the first time the group is looked at
                by_length[lb] = group = (masks, entries, _postings(masks))
            near = _near_by_postings(ma, la, need, group[2])
            passing = [i for i in near if (ma & masks[i]).bit_count() >= need]
        else:
            passing = [i for i, mb in enumerate(masks) if (ma & mb).bit_count() >= need]
        for i in passing:
            payload, b, _mb = entries[i]
            ratio = 1.0 if a == b else likeness(a, b)
            if ratio is not None:
                found.append((ratio, payload))
    return found
