"""Who a plan's sentence gives the work to: the lead before "chủ trì", the partners after "phối hợp (với)" or
before "phối hợp", and the body a sentence opens with ("Sở Tài chính: …", "- Ủy ban nhân dân cấp xã hướng
dẫn …", "Giao Công an tỉnh tham mưu …").

A name is told from the words around it by the way plans write one: it opens with the word of a kind of
body (Sở, Ban, Ủy ban, UBND, Công an, Trung tâm, Các sở …) and runs to the verb of the sentence, a colon or
the end of the clause. Each function gives spans into the sentence (start, end), so that the draft can
show where each name came from; the words are matched on the folded text, whose characters stand one for
one for the sentence's (``fold_chars``). Every scan is linear: literal words found by ``str.find`` from a
moving position, never a pattern over the whole run.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

#: The words a body's name opens with whatever follows (folded).
OPENINGS = ("so ", "uy ban nhan dan", "ubnd", "cong an ", "thanh tra ", "trung tam ", "ban quan ly", "ban chi dao",
            "cac so", "cac co quan", "cac don vi", "cac dia phuong", "cac ban", "cac chu dau tu", "cac nganh", "cac hoi",
            "cac to chuc", "cac doanh nghiep", "cac xa", "cac phuong", "chu dau tu", "tinh doan", "thanh doan",
            "bao hiem xa hoi", "toa an nhan dan", "vien kiem sat", "dang uy", "chinh quyen dia phuong", "thu truong ",
            "bao va phat thanh", "dia phuong", "kho bac", "thue tinh", "thue co so", "cuc thue", "van phong ",
            "lien doan lao dong", "mat tran to quoc", "uy ban mat tran", "bo chi huy", "bo doi bien phong",
            "dien luc", "buu dien", "uy ban kiem tra", "hoi dong nhan dan", "chu tich ")
#: The words a body's name opens with when the next word is a name's (capital): "Hội Nông dân", not "Hội nghị".
CAPITALISED = ("ban ", "bo ", "dai ", "truong ", "hoi ", "doan ", "vien ", "cuc ", "chi cuc ", "cong ty ",
               "tong cong ty ", "ngan hang ", "benh vien ", "hai quan ", "lien minh ", "hiep hoi ", "giam doc ",
               "bao ", "hoc vien ", "chi nhanh ", "quy ", "uy ban ", "vien thong ")
#: Words that end a name: the sentence's verb, or the next part of the clause (folded, whole words).
VERBS = ("chu tri", "phoi hop", "thuc hien", "tham muu", "trien khai", "to chuc", "xay dung", "ra soat", "ban hanh",
         "chi dao", "theo doi", "don doc", "kiem tra", "tang cuong", "day manh", "nghien cuu", "ho tro", "huong dan",
         "dau tu", "hoan thien", "hoan thanh", "la co quan", "co trach nhiem", "can cu", "bo tri", "cung cap",
         "tiep tuc", "chu dong", "phat huy", "tuyen truyen", "tong hop", "bao cao", "de xuat", "lap ", "cap nhat",
         "thu hut", "san tao", "giai quyet", "tiep nhan", "dam bao", "quan triet", "duy tri", "van hanh", "tham gia",
         "chiu trach nhiem", "giup", "phan cong", "thuong xuyen", "dinh ky", "khan truong", "nghiem tuc", "quan tam",
         "tao dieu kien", "trinh ", "thong bao", "xu ly", "danh gia", "khao sat", "to chuc thuc hien",
         "huy dong", "tap trung", "uu tien", "thuc thi", "tiep can", "lam viec", "moi goi", "dang ky", "san xuat",
         "su dung", "thanh lap", "di doi", "giai phong", "van dong", "nang cao", "trong ", "tai ", "theo ", "nham ",
         "de ", "khi ", "thuc hien cac", "cong bo", "thu hoi", "quan ly nha nuoc")
#: Words after which a name starts inside a clause: "giao Sở X", "do Sở X chủ trì", "đề nghị Ủy ban …".
INTRODUCERS = ("giao cho ", "giao ", "do ", "de nghi ", "yeu cau ", "- ", "(")
#: Names of bodies that contain a verb's words: read whole before the verbs are looked for.
VERB_IN_NAME = ("ban quan ly", "ban chi dao", "trung tam phuc vu hanh chinh cong", "ban to chuc", "ban tuyen giao",
                "trung tam xuc tien", "ban dan van", "so xay dung", "trung tam giam sat", "trung tam dieu hanh",
                "trung tam kiem soat", "ban quan ly du an dau tu xay dung", "quy phat trien", "quy dau tu")
#: Words that make the verb after them a noun ("chủ đầu tư", "nhà đầu tư", "Ban Chỉ đạo").
NOUN_BEFORE = (" chu", " nha", " ban", "chu", "nha")
#: How far before "chủ trì" a lead's name may start, and how long a list of names may run (characters).
WINDOW = 300
#: More names than this before one "chủ trì" is no plan's sentence (the drafting refuses the document).
CROWDED = 100
CROWDED_SPAN = 40 * WINDOW


@dataclass(frozen=True)
class Assignment:
    """What one "chủ trì" says: the lead's span, and the partners' span if the clause names them."""

    lead: tuple[int, int] | None
    partners: tuple[int, int] | None
    crowded: bool = False  # the clause before "chủ trì" lists more names than a plan's sentence does


class _Folding(dict):
    """Each character's folded form, worked out the first time it is met (``str.translate`` looks it up)."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        base = unicodedata.normalize("NFD", char.replace("đ", "d").replace("Đ", "D"))[:1].lower()
        self[code] = folded = base if len(base) == 1 else " "
        return folded


_FOLDING = _Folding()


def fold_chars(text: str) -> str:
    """The text without case or diacritics, one character for each of the text's (đ → d)."""
    return text.translate(_FOLDING)


@lru_cache(maxsize=256)
def assignments(text: str) -> tuple[Assignment, ...]:
    """Each "chủ trì" of a sentence with the lead before it (None: the clause names none, as in a body's own
    duties, "Chủ trì, phối hợp với …") and the partners of its clause."""
    folded = fold_chars(text)
    found = []
    position = 0
    while (at := folded.find("chu tri", position)) >= 0:
        position = at + 7
        if at > 0 and folded[at - 1].isalnum() or position < len(folded) and folded[position].isalnum():
            continue
        lead = _name_before(text, folded, at)
        clause = max(folded.rfind(mark, max(0, at - CROWDED_SPAN), at) for mark in (".", ";", ":", "("))
        crowded = folded.count(",", max(clause, at - CROWDED_SPAN), at) > CROWDED
        found.append(Assignment(lead, partners_after(text, folded, position, lead), crowded))
    return tuple(found)


def partners_after(text: str, folded: str, start: int, lead: tuple[int, int] | None = None) -> tuple[int, int] | None:
    """The partners of the clause from ``start``: "phối hợp (chặt chẽ) với X" after it, or "X phối hợp" right
    after the lead's comma ("Sở A chủ trì, Công an tỉnh phối hopj thực hiện")."""
    end = _clause_end(folded, start)
    at = folded.find("phoi hop", start, end)
    if at < 0:
        return None
    after = at + len("phoi hop")
    for word in (" chat che voi ", " voi ", " cung "):
        if folded.startswith(word, after):
            return _name_span(text, folded, after + len(word), end)
    if _opens_name(text[after:].lstrip(), folded[after:].lstrip()):  # "phối hợp các đơn vị liên quan thực hiện"
        return _name_span(text, folded, after, end)
    before = text[start:at].strip(" ,")
    if before and _opens_name(before, fold_chars(before)):
        begin = start + text[start:at].find(before)
        return begin, begin + len(before)
    return None


def subject(text: str) -> tuple[int, int] | None:
    """The body a sentence opens with: "Sở Tài chính: …", "Ủy ban nhân dân cấp xã hướng dẫn …", "Giao Công an
    tỉnh tham mưu …" (None when it opens with anything else)."""
    folded = fold_chars(text)
    start = 0
    for word in ("- ", "giao cho ", "giao ", "de nghi "):
        if folded.startswith(word, start):
            start += len(word)
    if not _opens_name(text[start:], folded[start:]):
        return None
    return _name_span(text, folded, start, _clause_end(folded, start, colon=True))


def _name_before(text: str, folded: str, at: int) -> tuple[int, int] | None:
    """The name right before "chủ trì": from the clause's start (or the word that introduces a name) to it."""
    start = max(max(folded.rfind(mark, 0, at) for mark in (".", ";", ":", "(")) + 1, at - WINDOW)
    best = None
    for word in INTRODUCERS:
        found = folded.rfind(word, start, at)
        if found >= 0 and (found == 0 or not folded[found - 1].isalnum()):
            best = max(best or 0, found + len(word))
    start = best if best is not None else start
    while start < at and folded[start] in " -,":
        start += 1
    name = folded[start:at].rstrip(" ,")
    if not name or not _opens_name(text[start:at], name) or len(name.split()) > 25:
        return None
    return start, start + len(name)


def _name_span(text: str, folded: str, start: int, end: int) -> tuple[int, int] | None:
    """A name or a list of names from ``start`` to the first verb after it (or ``end``)."""
    while start < end and folded[start] in " ,-":
        start += 1
    stop = min(end, start + WINDOW)
    scan = start
    for name in VERB_IN_NAME:
        if folded.startswith(name, scan):
            scan += len(name)
            break
    for verb in VERBS:
        found = folded.find(" " + verb, scan, stop)
        while found >= 0 and (folded[:found].endswith(NOUN_BEFORE) or text[found + 1:found + 2].isupper()):
            # "chủ đầu tư", "nhà đầu tư", "Sở Tài chính": words of a name, not the sentence's verb
            found = folded.find(" " + verb, found + 1, stop)
        if found >= 0:
            stop = found
    name = text[start:stop].rstrip(" ,")
    return (start, start + len(name)) if name and len(name.split()) <= 40 else None


def _clause_end(folded: str, start: int, colon: bool = False) -> int:
    """Where the clause from ``start`` ends: a full stop, a semicolon, a bracket (or a colon, for a subject)."""
    limit = min(len(folded), start + 2 * WINDOW)
    ends = [folded.find(mark, start, limit) for mark in (".", ";", "(", ")") + ((":",) if colon else ())]
    ends = [end for end in ends if end >= 0]
    return min(ends) if ends else limit


def _opens_name(text: str, folded: str) -> bool:
    """Whether the words open a body's name (``text`` and ``folded`` the same words, as written and folded)."""
    if folded.startswith(OPENINGS):
        return True
    for head in CAPITALISED:
        if folded.startswith(head):
            rest = text[len(head):].lstrip()
            return bool(rest) and rest[0].isupper()
    return False
