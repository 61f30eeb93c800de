"""Finding English where a Vietnamese reader reads: the visible text of a page, or the words of an error.

A page is read as a person reads it: the text of its elements (not scripts, styles, codes in ``<code>``, nor
the values of attributes but the ones read aloud or shown: title, aria-label, placeholder, alt, a button's
value; not what is marked written in another language on purpose, ``lang="en"``), cut into sentences at the
ends of blocks and at sentence marks. Source text shown for editing (``<textarea>``: a draft template's
YAML) is read without its keys and codes, its comments included; a file shown as it was sent (``<pre>``) is
not read. What is not language is taken out first:
addresses, e-mail addresses, file names, numbers, codes (``QNG-STTTT``, ``249/KH-BCD138``, ``task.completed``)
and the names given (user names). A code written where a word should be (``relevant_units`` as a label) is
read as its words.

A sentence is English when it holds a word only English writes (the, is, not, cannot, your, required …), or
a word Vietnamese writes too (to, in, do, an …) beside a word Vietnamese cannot write, or when two such words
(either kind) stand with no word written with Vietnamese marks beside them, or it is one such word alone (a label:
"Dashboard"). Vietnamese syllables are told by their shape (an initial, vowels, a final of c, ch, m, n, ng,
nh, p, t), so "thanh tra kinh tế" passes and "Sign out" does not. Times a person reads must be Vietnam's: one
printed in UTC (``Z``, ``+00:00``, ``UTC``) is reported too.
"""
from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser
from typing import Iterable

#: Words only English writes: one is enough to call a sentence English.
ENGLISH = frozenset("""
the is are was were be been being isn't aren't wasn't not cannot can't won't don't doesn't didn't must this
that these those of and with for your you please required invalid field fields missing there here has have
had will would should could which what when where who whom whose from into only does did it its or by at
than then any all each every our we they their them yet already unknown allowed found valid error errors
sign again after before about without while because upload uploaded per between more less nothing
something anything too such
""".split())
#: Words English and Vietnamese both write (to lớn, in ấn, do đó, an ninh, can thiệp, so sánh, may mặc,
#: no đủ …): English only beside a word Vietnamese cannot write.
SHARED = frozenset("to in do an can so may no on me a he".split())
#: Names and loanwords a Vietnamese sentence uses as they are.
LOANWORDS = frozenset("""
planflow api bpmn pdf csv yaml json xlsx docx excel libreoffice word email e-mail openapi swagger token tokens
http https url web online internet zalo smtp
""".split())

_INITIALS = "ngh|ch|gh|gi|kh|ng|nh|ph|qu|th|tr|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x"
_FINALS = "ch|ng|nh|c|m|n|p|t"
_VOWELS = "aăâeêioôơuưy"
_SYLLABLE = re.compile(rf"^(?:{_INITIALS})?[{_VOWELS}]{{1,3}}(?:{_FINALS})?$")
_UTC = re.compile(r"\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z\b|[+-]00:?00\b|UTC\b|GMT\b)|\bUTC\b|\bGMT\b")
_NOT_WORDS = re.compile(r"""
    https?://\S+ | \b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b          # addresses, e-mail addresses
    | \S+\.(?:pdf|docx?|xlsx?|csv|txt|ya?ml|json|jsonl|bpmn|png|jpe?g|zip|odt|ods)\b   # file names
    | /[\w./?=&%-]+                                           # paths
    | \b\w*\d\w*\b                                            # numbers, codes with digits
    | \b[A-ZĐ]{2,}(?:-[A-Z0-9Đ]+)*\b                          # codes in capitals: QNG-STTTT, BCĐ, KH
    | \b\w+(?:-\w+)+\b                                        # hyphenated codes: qng-249-kh-bcd138
    | \b\w+(?:\[\d+\])+(?:\.\w+(?:\[\d+\])*)*                    # paths of fields: items[0].schedule
    | \b\w+(?:\.\w+)+\b                                       # dotted codes: user names, task.completed
    | \{\w+\}                                                 # a template's placeholders: {year}
    """, re.VERBOSE)
_SNAKE = re.compile(r"\b[^\W\d]+(?:_[^\W\d]+)+\b")
#: A key of source text, and its value when that is one bare word (``type: string``): the format's.
_YAML_KEY = re.compile(r"^(\s*-?\s*)[\w.-]+:(?:[ \t]+[A-Za-z_]+[ \t]*$|(?=\s|$))", re.MULTILINE)
#: A list of codes and nothing else: the values a field takes ("ready, completed, cancelled, any.").
_CODES = re.compile(r"^[a-z_]+(?:, [a-z_]+)+\.?$")
_SENTENCE_ENDS = re.compile(r"(?<=[.!?;:])\s+|\n|·|•|\|")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")

_BLOCKS = frozenset("""address article aside blockquote br dd details dialog div dl dt fieldset figcaption figure
footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table td th tr ul option label
legend button caption select textarea title""".split())
#: Not read: scripts and styles, codes, and a file as the person sent it (``<pre>``: an uploaded template).
_HIDDEN = frozenset({"script", "style", "template", "code", "kbd", "samp", "pre"})
_SOURCE = frozenset({"textarea"})
_READ_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden: list[str] = []
        self.source = 0
        self.language: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.language = attributes.get("lang")
            return
        if self.hidden or tag in _HIDDEN or attributes.get("lang", "vi").split("-")[0] != "vi":
            if tag not in _VOID:
                self.hidden.append(tag)
            return
        self.source += tag in _SOURCE
        if tag in _BLOCKS:
            self.parts.append("\n")
        for name in _READ_ATTRIBUTES:
            if attributes.get(name):
                self.parts.append(f"\n{attributes[name]}\n")
        if tag == "input" and attributes.get("type") in ("submit", "button", "reset") and attributes.get("value"):
            self.parts.append(f"\n{attributes['value']}\n")

    def handle_endtag(self, tag):
        if self.hidden:
            if tag in self.hidden:
                while self.hidden.pop() != tag:
                    pass
            return
        self.source -= tag in _SOURCE and self.source > 0
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if self.hidden:
            return
        if self.source:  # source text: its keys and codes are the format's, its comments and values are read
            data = _SNAKE.sub(" ", _YAML_KEY.sub(r"\1", data))
        self.parts.append(data)


def visible_text(html: str) -> str:
    """What a person reads on a page, a block a line (a page not marked Vietnamese says so, in English)."""
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    return text if parser.language in (None, "vi") else f"This page is in {parser.language}.\n{text}"


def sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_ENDS.split(text) if part and part.strip()]


def _is_syllable(word: str) -> bool:
    """Can ``word`` be a Vietnamese syllable (its tone marks taken off)?"""
    bare = "".join(ch for ch in unicodedata.normalize("NFD", word.lower())
                   if unicodedata.category(ch) != "Mn" or ch in "\u0306\u0302\u031b")  # ă â ê ô ơ ư stay
    return bool(_SYLLABLE.match(unicodedata.normalize("NFC", bare)))


def _has_vietnamese_marks(word: str) -> bool:
    return any(ord(ch) > 127 for ch in word)


def _words(sentence: str, names: frozenset[str]) -> list[str]:
    text = _SNAKE.sub(lambda code: code.group(0).replace("_", " "), sentence)  # a code where words should be
    text = " ".join(word for word in text.split() if word.strip(".,;:()[]'\"") not in names)
    return [word.lower() for word in _WORD.findall(_NOT_WORDS.sub(" ", text))
            if word.lower() not in LOANWORDS and len(word) > 1]  # a letter alone is a label (a–f, mục a)


def english_in_sentence(sentence: str, names: Iterable[str] = ()) -> bool:
    """Is this sentence (or label) English? ``names`` are ids written as they are (user names)."""
    if _CODES.match(sentence):
        return False
    words = _words(sentence, frozenset(names))
    if any(word in ENGLISH for word in words):
        return True
    foreign = [word for word in words if not _has_vietnamese_marks(word) and not _is_syllable(word)]
    shared = [word for word in words if word in SHARED]
    if foreign and shared:
        return True
    if len(foreign) + len(shared) >= 2 and not any(_has_vietnamese_marks(word) for word in words):
        return True
    return len(words) == 1 and len(foreign) == 1 and len(foreign[0]) >= 4


def english_sentences(text: str, names: Iterable[str] = ()) -> list[str]:
    """The English sentences of a text (a page's visible text, an error's words)."""
    names = frozenset(names)
    return [sentence for sentence in sentences(text) if english_in_sentence(sentence, names)]


def utc_times(text: str) -> list[str]:
    """Times printed in UTC rather than Vietnam's time."""
    return [match.group(0) for match in _UTC.finditer(text)]
