"""The strings a pattern cannot match without: a screen that needs no compiled pattern.

``re`` compiles in Python: the ten pack gates an English page needs took about 100 ms
of a 600 ms one-page run, while the page matched none of them. ``necessary(source)``
reads a pattern's syntax once and returns strings of which every match contains at
least one (for ``trusted (?:third[- ]part(?:y|ies)|partners)``: the five spellings),
or ``None`` when it cannot tell. A text that contains none of them, compared after
``fold``, cannot match the pattern, so the pattern need not be compiled for it.

The reading is conservative: look-arounds, anchors and word boundaries count as
matching the empty string, a character class as any character (a short set of plain
characters, such as ``[ée]``, as each of them), and syntax it does not know (verbose
mode, back-references, fuzzy matching, ``regex``'s named lists) gives ``None``.
tests/test_literals.py checks every match of every built-in pattern in the fixtures,
and ``fold`` against every cased character.
"""

from __future__ import annotations

import re
from functools import lru_cache

# One token per match; its first character tells its kind (FIRST_CHAR_KINDS).
TOKEN = re.compile(
    r"""
     [^\\\[\]()|*+?{}.^$]+(?![*+?{])|[^\\\[\]()|*+?{}.^$]  # literal text
    |\\(?:[pP]\{[^}]*\}|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|.)  # an escape
    |\[\^?\]?(?:\\.|[^\]\\])*\]  # a set
    |\(\?<?[=!]  # a look-around
    |\((?:\?(?::|>|P?<[A-Za-z_]\w*>|[a-zA-Z]*(?:-[a-zA-Z]+)?:))?  # a group
    |\(\?[a-zA-Z]+\)  # flags
    |(?:[*+?]|\{\d*(?:,\d*)?\})[?+]?  # a quantifier
    |.  # ")", "|", "^", "$", ".", and what is not read: a lone "{", "]"
    """,
    re.X | re.S,
)
FIRST_CHAR_KINDS = {
    "\\": "esc",
    "[": "cls",
    "(": "open",
    ")": "close",
    "|": "alt",
    "*": "quant",
    "+": "quant",
    "?": "quant",
    "{": "quant",
    "^": "zero",
    "$": "zero",
    ".": "dot",
    "]": "other",
    "}": "other",
}
QUANT = re.compile(r"([*+?])|\{(\d*)(,?)(\d*)\}")
MAX_STRINGS = 32  # spellings kept per piece: "(?:a|b)(?:c|d)" is four
ONE_CHAR_CLASSES = set("wWdDsSpPhHvVX")  # escapes that match one character of a set
ZERO_WIDTH = set("bBAZzG")
CHAR_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "a": "\a"}

# ``re`` and ``regex`` (V0) ignore case by simple case folding, which ties a few
# characters to letters that ``str.lower`` keeps apart ("ſ" and "s", "ς" and "σ",
# "ᲀ" and "в"); "İ".lower() adds a combining dot that "i" lacks.
_FOLD_EXTRA = str.maketrans(
    {
        "ı": "i",
        "ſ": "s",
        "µ": "μ",
        "\u0345": "ι",
        "\u1fbe": "ι",
        "ϐ": "β",
        "ϵ": "ε",
        "ϑ": "θ",
        "ϰ": "κ",
        "ϖ": "π",
        "ϱ": "ρ",
        "ς": "σ",
        "ϕ": "φ",
        "ᲀ": "в",
        "ᲁ": "д",
        "ᲂ": "о",
        "ᲃ": "с",
        "ᲄ": "т",
        "ᲅ": "т",
        "ᲆ": "ъ",
        "ᲇ": "ѣ",
        "ᲈ": "ꙋ",
        "ẛ": "ṡ",
        "\ufb05": "\ufb06",  # the "ſt" and "st" ligatures
        "\u1fd3": "\u0390",  # two code points for the same Greek letter
        "\u1fe3": "\u03b0",
        "\u0307": None,
    }
)


class _Unknown(Exception):
    pass


@lru_cache(maxsize=64)  # every rule screens the same page texts and blocks
def fold(text: str) -> str:
    """``text`` with the case differences ``re.IGNORECASE`` ignores removed: a match of
    a literal in ``text`` is a substring of ``fold(text)`` once the literal is folded."""
    return text.lower().translate(_FOLD_EXTRA)


def necessary(source: str) -> frozenset[str] | None:
    """Folded strings, one of which is in every non-empty match of ``source``."""
    try:
        reader = _Reader(source)
        _, cover = reader.alternation()
        if reader.pos != len(reader.kinds):
            raise _Unknown
    except (_Unknown, ValueError):
        return None
    return frozenset(fold(s) for s in cover) if cover else None


def _product(left: set[str], right: set[str]) -> set[str] | None:
    if len(left) * len(right) > MAX_STRINGS:
        return None
    return {a + b for a in left for b in right}


def _best(covers: list[set[str]]) -> set[str] | None:
    """The cover whose shortest string is longest: the least likely in unrelated text."""
    return max(covers, key=lambda c: (min(map(len, c)), -len(c))) if covers else None


class _Reader:
    """Recursive descent over the tokens. Each piece gives (exact, cover): every string
    it matches if there are few (else None), and a cover as ``necessary`` returns."""

    def __init__(self, source: str) -> None:
        self.texts = TOKEN.findall(source)
        self.kinds = [FIRST_CHAR_KINDS.get(t[0], "lit") for t in self.texts]
        for i, kind in enumerate(self.kinds):
            if kind == "open":
                text = self.texts[i]
                if text.startswith(("(?=", "(?!", "(?<=", "(?<!")):
                    self.kinds[i] = "look"
                elif text.endswith(")") and len(text) > 1:
                    self.kinds[i] = "flags"
            elif kind == "quant" and self.texts[i] == "{":  # not a quantifier: unread
                self.kinds[i] = "other"
        self.pos = 0

    def alternation(self):
        branches = [self.sequence()]
        while self.pos < len(self.kinds) and self.kinds[self.pos] == "alt":
            self.pos += 1
            branches.append(self.sequence())
        if len(branches) == 1:
            return branches[0]
        exact = None
        if all(e is not None for e, _ in branches):
            union = set().union(*(e for e, _ in branches))
            exact = union if len(union) <= MAX_STRINGS else None
        if any(c is None for _, c in branches):
            return exact, None
        return exact, set().union(*(c for _, c in branches))

    def sequence(self):
        covers: list[set[str]] = []
        run: set[str] = {""}  # the spellings of the literal stretch being read
        whole: set[str] | None = {""}
        kinds = self.kinds
        while self.pos < len(kinds) and kinds[self.pos] not in ("alt", "close"):
            exact, cover = self.atom()
            if self.pos < len(kinds) and kinds[self.pos] == "quant":
                exact, cover = self.repeat(self.texts[self.pos], exact, cover)
                self.pos += 1
            if cover is not None:
                covers.append(cover)
            if whole is not None:
                whole = _product(whole, exact) if exact is not None else None
            joined = _product(run, exact) if exact is not None else None
            if joined is None:
                if "" not in run:
                    covers.append(run)
                run = exact if exact is not None else {""}
            else:
                run = joined
        if "" not in run:
            covers.append(run)
        return whole, _best(covers)

    def repeat(self, quantifier: str, exact, cover):
        m = QUANT.match(quantifier)
        if m.group(1) == "?":
            return (exact | {""} if exact is not None else None), None
        if m.group(1) == "*":
            return None, None
        if m.group(1) == "+":
            low, high = 1, None
        else:
            low = int(m.group(2) or 0)
            high = low if not m.group(3) else (int(m.group(4)) if m.group(4) else None)
        if low == 0:
            return None, None
        if high == low and exact is not None:
            repeated: set[str] | None = {""}
            for _ in range(low):
                repeated = _product(repeated, exact) if repeated is not None else None
            if repeated is not None:
                return repeated, None
        if cover is None and exact is not None and "" not in exact:
            cover = exact
        return None, cover

    def atom(self):
        kind, text = self.kinds[self.pos], self.texts[self.pos]
        self.pos += 1
        if kind == "lit":
            return {text}, None
        if kind == "esc":
            c = text[1]
            if c in ONE_CHAR_CLASSES:
                return None, None
            if c in ZERO_WIDTH:
                return {""}, None
            if c in CHAR_ESCAPES:
                return {CHAR_ESCAPES[c]}, None
            if c in "xu":
                return {chr(int(text[2:], 16))}, None
            if c.isalnum():  # back-references, \N{...}, regex's \L<...>, \m, \K
                raise _Unknown
            return {c}, None
        if kind == "cls":
            body = text[1:-1]
            if not body or body[0] == "^" or "\\" in body or "-" in body[1:-1] or "[" in body:
                return None, None
            return (set(body) if len(body) <= MAX_STRINGS else None), None
        if kind == "zero":
            return {""}, None
        if kind == "flags":
            if any(f in text for f in "xfV"):  # verbose, full case folding, version 1
                raise _Unknown
            return {""}, None
        if kind == "dot":
            return None, None
        if kind == "look":  # matches no text: skipped, not read
            self.skip_group()
            return {""}, None
        if kind == "open":
            if "x" in text.partition("<")[0]:  # (?x:...), not (?P<xml>...)
                raise _Unknown
            inner = self.alternation()
            if self.pos >= len(self.kinds) or self.kinds[self.pos] != "close":
                raise _Unknown
            self.pos += 1
            return inner
        raise _Unknown  # a stray quantifier, "{", "]", (?|...), (?(1)...), (?#...)

    def skip_group(self) -> None:
        """Past the ")" that closes the group just opened."""
        depth = 1
        for pos in range(self.pos, len(self.kinds)):
            kind, text = self.kinds[pos], self.texts[pos]
            if kind == "flags" and any(f in text for f in "xfV"):
                raise _Unknown
            if kind in ("open", "look"):
                depth += 1
            elif kind == "close":
                depth -= 1
                if not depth:
                    self.pos = pos + 1
                    return
            elif kind == "other":  # (?|...) and the like: an unknown group inside
                raise _Unknown
        raise _Unknown
