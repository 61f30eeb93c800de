"""A task's time, as a Vietnamese plan writes it, read into the template's schedule: each way of writing a day,
a month, a quarter, a half-year, a year, a continuous or recurring duty, a range, a reference or a relative time
gives its schedule, its kind and whether the text gives it whole; dates in the names of cited documents are
never a task's time; bad dates are no dates; spans point into the text as written; notes read in Vietnamese;
and 10^5 characters of near-matches are read without trouble."""
from __future__ import annotations

import unicodedata

import pytest

from engine.drafting.timing import Timing, read_time
from engine.i18n import gettext_for
from engine.templates.schema import ScheduleSchema

PLAN_YEAR = 2026


def until(day: str, reporting: str | None = None) -> dict:
    return {"continuous": {"until": day}, **({"reporting": reporting} if reporting else {})}


#: (as written, kind, the schedule without its text, whether the text gives it whole), read in a plan of 2026.
WAYS = [
    # a day
    ("trước ngày 15/01/2026", "deadline", {"deadline": "2026-01-15"}, True),
    ("chậm nhất ngày 30/6/2026", "deadline", {"deadline": "2026-06-30"}, True),
    ("chậm nhất là ngày 31/12/2025", "deadline", {"deadline": "2025-12-31"}, True),
    ("trước ngày 20 tháng 12 năm 2026", "deadline", {"deadline": "2026-12-20"}, True),
    ("ngày 15-01-2026", "deadline", {"deadline": "2026-01-15"}, True),
    ("hoàn thành trước 30/9/2026", "deadline", {"deadline": "2026-09-30"}, True),
    ("Hoàn thành chậm nhất vào ngày 15.3.2026", "deadline", {"deadline": "2026-03-15"}, True),
    ("đến hết ngày 31/12/2026", "deadline", {"deadline": "2026-12-31"}, True),
    ("TRƯỚC NGÀY 15/01/2026", "deadline", {"deadline": "2026-01-15"}, True),
    ("truoc ngay 15/01/2026", "deadline", {"deadline": "2026-01-15"}, True),
    ("Trước ngày 15/12", "deadline", {"deadline": "2026-12-15"}, False),
    # a day of each period
    ("Trước ngày 31/01 năm liền kề", "recurring", until("2026-12-31", "yearly"), False),
    ("Trước ngày 05 của tháng liền kề", "recurring", until("2026-12-31", "monthly"), False),
    ("trước ngày 20 hằng tháng", "recurring", until("2026-12-31", "monthly"), False),
    ("trước ngày 15/12 hằng năm", "recurring", until("2026-12-31", "yearly"), False),
    ("trước ngày 10 tháng đầu tiên của quý tiếp theo", None, None, None),
    # a month
    ("tháng 9/2022", "month", {"window": {"month": 9, "year": "2022"}}, True),
    ("trong tháng 01/2026", "month", {"window": {"month": 1, "year": "2026"}}, True),
    ("tháng 9 năm 2026", "month", {"window": {"month": 9, "year": "2026"}}, True),
    ("Tháng 11-2026", "month", {"window": {"month": 11, "year": "2026"}}, True),
    ("chậm nhất trong tháng 9/2026", "month", {"window": {"month": 9, "year": "2026"}}, True),
    ("trong tháng 9", "month", {"window": {"month": 9, "year": "2026"}}, False),
    # a quarter
    ("quý IV/2026", "quarter", {"deadline": "2026-12-31"}, False),
    ("quý IV năm 2026", "quarter", {"deadline": "2026-12-31"}, False),
    ("quý 4/2026", "quarter", {"deadline": "2026-12-31"}, False),
    ("Quý II năm 2026", "quarter", {"deadline": "2026-06-30"}, False),
    ("quý III/2026", "quarter", {"deadline": "2026-09-30"}, False),
    ("trong quý I và quý II năm 2026", "quarter", {"deadline": "2026-06-30"}, False),
    ("hoàn thành trong quý IV năm 2026", "quarter", {"deadline": "2026-12-31"}, False),
    ("Trong quý I", "quarter", {"deadline": "2026-03-31"}, False),
    # a half-year
    ("6 tháng đầu năm 2026", "half_year", {"deadline": "2026-06-30"}, False),
    ("6 tháng cuối năm 2026", "half_year", {"deadline": "2026-12-31"}, False),
    ("06 tháng đầu năm", "half_year", {"deadline": "2026-06-30"}, False),
    ("Sáu tháng cuối năm", "half_year", {"deadline": "2026-12-31"}, False),
    # a year
    ("năm 2026", "year", {"year": "2026"}, True),
    ("trong năm 2026", "year", {"year": "2026"}, True),
    ("hoàn thành trong năm 2026", "year", {"year": "2026"}, True),
    ("Trong năm", "year", {"year": "2026"}, False),
    ("Thời gian thực hiện: Năm 2027", "year", {"year": "2027"}, True),
    # continuous
    ("thường xuyên", "continuous", until("2026-12-31"), False),
    ("Thường xuyên trong năm", "continuous", until("2026-12-31"), False),
    ("thực hiện thường xuyên trong năm", "continuous", until("2026-12-31"), False),
    ("thường xuyên từ nay đến hết năm 2022", "continuous", until("2022-12-31"), True),
    ("Thường xuyên, liên tục trong năm 2026", "continuous", until("2026-12-31"), True),
    ("từ nay đến năm 2030", "continuous", until("2030-12-31"), True),
    ("giai đoạn 2026-2030", "continuous", until("2030-12-31"), True),
    ("Từ năm 2026 đến năm 2028", "continuous", until("2028-12-31"), True),
    ("năm 2026 và các năm tiếp theo", "continuous", until("2026-12-31"), False),
    # recurring with a period
    ("định kỳ hằng quý", "recurring", until("2026-12-31", "quarterly"), False),
    ("hằng tháng", "recurring", until("2026-12-31", "monthly"), False),
    ("hàng năm", "recurring", until("2026-12-31", "yearly"), False),
    ("định kỳ 6 tháng", "recurring", until("2026-12-31", "six_monthly"), False),
    ("Định kỳ hằng tháng", "recurring", until("2026-12-31", "monthly"), False),
    ("Thường xuyên trong tháng", "recurring", until("2026-12-31", "monthly"), False),
    ("Định kỳ báo cáo", "recurring", None, False),
    ("Thực hiện thường xuyên khi có yêu cầu của bộ, ngành Trung ương.", "recurring", None, False),
    # a range, due at its end
    ("từ ngày 01/3/2026 đến ngày 30/6/2026", "range", {"deadline": "2026-06-30"}, False),
    ("từ ngày 01/3 đến ngày 30/6/2026", "range", {"deadline": "2026-06-30"}, False),
    ("từ tháng 3 đến tháng 6/2026", "range", {"deadline": "2026-06-30"}, False),
    ("tháng 3 - tháng 6/2026", "range", {"deadline": "2026-06-30"}, False),
    ("Từ tháng 10/2025 đến tháng 12/2025", "range", {"deadline": "2025-12-31"}, False),
    ("tháng 3-6/2026", "range", {"deadline": "2026-06-30"}, False),
    # by reference, relative
    ("Theo Quyết định số 1441/QĐ-UBND ngày 25/9/2025 của Chủ tịch UBND tỉnh", "by_reference", None, False),
    ("Theo kế hoạch của tỉnh", "by_reference", None, False),
    ("Theo hướng dẫn của Trung ương", "by_reference", None, False),
    ("Theo Điều 17 Nghị định số 52/2015/NĐ-CP ngày 28/5/2015 của Chính phủ", "by_reference", None, False),
    ("Theo các mốc thời gian tại Phương án số 7178/PA-UBND ngày 14/11/2025 của UBND tỉnh", "by_reference", None,
     False),
    ("- Theo lộ trình của Bộ Nội vụ", "by_reference", None, False),
    ("Sau 03 tháng kể từ khi có văn bản của Trung ương", "relative", None, False),
    ("Trong vòng 30 ngày kể từ ngày Quyết định có hiệu lực", "relative", None, False),
]


@pytest.mark.parametrize("text,kind,body,sure", WAYS, ids=[row[0][:50] for row in WAYS])
def test_each_way_of_writing_a_time_reads_into_its_schedule(text, kind, body, sure):
    timing = read_time(text, PLAN_YEAR)
    if kind is None:
        assert timing is None
        return
    assert (timing.kind, timing.sure) == (kind, sure)
    if body is None:
        assert timing.schedule is None and timing.note
    else:
        assert timing.schedule == {"text": text[timing.start:timing.end], **body}
        assert ScheduleSchema().validate(timing.schedule) == {}
    assert sure or timing.note, "whatever is inferred says so"


def test_there_are_more_than_fifty_ways_and_every_kind_is_among_them():
    assert len(WAYS) > 50
    assert {row[1] for row in WAYS} >= {"deadline", "month", "quarter", "half_year", "year", "continuous",
                                        "recurring", "range", "by_reference", "relative"}


SPANS = [  # (sentence, the words read)
    ("(Công an tỉnh chủ trì, phối hợp các đơn vị có liên quan thực hiện trong tháng 9/2022)",
     "thực hiện trong tháng 9/2022"),
    ("Ban hành kế hoạch chậm nhất là ngày 31/12/2025 và tổ chức mở lớp theo kế hoạch đề ra.",
     "chậm nhất là ngày 31/12/2025"),
    ("Sở Công Thương gửi báo cáo trước ngày 20 hằng tháng, để tổng hợp", "trước ngày 20 hằng tháng"),
    ("Di dời cụm công nghiệp, hoàn thành trong quý IV năm 2026. Việc di dời thực hiện theo quy định",
     "hoàn thành trong quý IV năm 2026"),
    ("Theo hướng dẫn của Trung ương; Sở Nội vụ theo dõi", "Theo hướng dẫn của Trung ương"),
    ("Sau 03 tháng kể từ khi có văn bản của Trung ương.", "Sau 03 tháng kể từ khi có văn bản của Trung ương"),
    ("  Thường   xuyên\n trong năm ", "Thường   xuyên\n trong năm"),
]


@pytest.mark.parametrize("text,words", SPANS)
def test_the_span_points_at_the_words_read_in_the_text_as_written(text, words):
    timing = read_time(text, PLAN_YEAR)
    assert text[timing.start:timing.end] == words
    assert timing.schedule is None or timing.schedule["text"] == words


def test_text_in_decomposed_unicode_reads_the_same_and_its_span_keeps_the_marks():
    text = unicodedata.normalize("NFD", "Báo cáo định kỳ hằng quý")
    timing = read_time(text, PLAN_YEAR)
    assert timing.schedule == {"text": text[timing.start:], **until("2026-12-31", "quarterly")}
    assert unicodedata.normalize("NFC", text[timing.start:timing.end]) == "định kỳ hằng quý"


CITATIONS = [  # a task's sentence citing documents: (sentence, the task's schedule without its text, or None)
    ("Thực hiện Quyết định số 766/QĐ-TTg ngày 23/6/2022 của Thủ tướng Chính phủ", None),
    ("Triển khai Nghị quyết số 34-NQ/TU ngày 27 tháng 12 năm 2025 của Ban thường vụ Tỉnh ủy", None),
    ("Cụ thể hóa Nghị quyết số 34-NQ/TU của Tỉnh uỷ Lào Cai ngày 27/12/2025 về phát triển các khu công nghiệp "
     "năm 2026", None),
    ("Căn cứ Nghị định số 35/2022/NĐ-CP ngày 28 tháng 5 năm 2022 của Chính phủ", None),
    ("Thực hiện Nghị quyết của Tỉnh ủy ngày 27/12/2025 về chuyển đổi số", None),
    ("Sửa đổi Quyết định số: 2339/QĐ-UBND ngày 12/12/2025, hoàn thành trước ngày 30/9/2026",
     {"deadline": "2026-09-30"}),
    ("Thực hiện Quyết định số 766/QĐ-TTg ngày 23/6/2022; báo cáo kết quả trong tháng 11/2026",
     {"window": {"month": 11, "year": "2026"}}),
    ("Rà soát theo Văn bản số 1289/UBND-TH ngày 23/02/2026, hoàn thành trong năm 2026", {"year": "2026"}),
    ("Đánh giá kết quả thực hiện Kế hoạch cải cách hành chính năm 2025", None),
]


@pytest.mark.parametrize("text,body", CITATIONS)
def test_a_date_in_the_name_of_a_cited_document_is_never_the_tasks_time(text, body):
    timing = read_time(text, PLAN_YEAR)
    if body is None:
        assert timing is None
    else:
        assert timing.schedule == {"text": timing.schedule["text"], **body}
        assert "2022" not in timing.schedule["text"] and "số" not in timing.schedule["text"]


@pytest.mark.parametrize("text", ["trước ngày 31/02/2026", "tháng 13/2026", "ngày 32/1/2026", "tháng 9/22",
                                  "trước ngày 15/01/26", "năm 1890", "trong năm 2101", "quý V/2026",
                                  "từ năm 2030 đến năm 2026", "Tháng 02/2101"])
def test_a_bad_date_or_a_two_digit_year_is_no_date(text):
    assert read_time(text, PLAN_YEAR) is None


@pytest.mark.parametrize("text", ["Theo dõi, đôn đốc các đơn vị thực hiện", "bảo đảm chi thường xuyên của đơn vị",
                                  "Tổ chức thực hiện theo kế hoạch", "hàng hóa nhập khẩu", "", "   "])
def test_words_that_only_look_like_a_time_are_none(text):
    assert read_time(text, PLAN_YEAR) is None


def test_several_times_give_the_first_and_say_so():
    text = "Ban hành kế hoạch trong tháng 01/2026, tổ chức kiểm tra chậm nhất trong tháng 6/2026"
    timing = read_time(text, PLAN_YEAR)
    assert timing.schedule == {"text": "trong tháng 01/2026", "window": {"month": 1, "year": "2026"}}
    assert (timing.kind, timing.sure) == ("month", False) and "several times" in timing.note


def test_of_several_times_the_first_with_a_date_is_read_unless_a_reference_opens_the_text():
    dated = read_time("Báo cáo định kỳ theo thời gian quy định; thực hiện thường xuyên trong năm", PLAN_YEAR)
    assert (dated.kind, dated.schedule["text"], dated.sure) == ("continuous", "thực hiện thường xuyên trong năm",
                                                                False)
    assert "several times" in dated.note and "end of the plan's year 2026" in dated.note
    referred = read_time("Theo kế hoạch của tỉnh; hoàn thành trong năm 2026", PLAN_YEAR)
    assert (referred.kind, referred.schedule, referred.sure) == ("by_reference", None, False)


@pytest.mark.parametrize("text,kind", [("trong tháng 9", "month"), ("Trong năm", "year"), ("quý I", "quarter"),
                                       ("6 tháng đầu năm", "half_year"), ("thường xuyên", "continuous"),
                                       ("định kỳ hằng quý", "recurring"), ("trước ngày 20 hằng tháng", "recurring"),
                                       ("Trước ngày 15/12", "deadline"), ("tháng 3 - tháng 6", "range")])
def test_what_needs_the_plans_year_has_no_date_in_a_plan_of_no_known_year(text, kind):
    timing = read_time(text, None)
    assert (timing.kind, timing.schedule, timing.sure) == (kind, None, False) and timing.note


def test_a_whole_date_needs_no_plan_year():
    assert read_time("chậm nhất ngày 30/6/2026", None).schedule == {"text": "chậm nhất ngày 30/6/2026",
                                                                  "deadline": "2026-06-30"}


def test_a_year_or_a_month_without_its_year_needs_a_cue_mid_sentence():
    assert read_time("Tổng kết kế hoạch năm 2026 của tỉnh", PLAN_YEAR) is None
    assert read_time("Chi trả lương tháng 9 cho cán bộ", PLAN_YEAR) is None
    assert read_time("Tổng kết, hoàn thành trong năm 2026", PLAN_YEAR).schedule["year"] == "2026"


def test_every_note_reads_in_vietnamese():
    vietnamese = gettext_for("vi")
    texts = [row[0] for row in WAYS] + ["Ban hành kế hoạch trong tháng 01/2026, kiểm tra trong quý II/2026",
                                        "trong tháng 9 và hằng quý"]
    notes = [timing.note for text in texts if (timing := read_time(text, PLAN_YEAR)) and timing.note]
    notes += [read_time(text, None).note for text in ("trong tháng 9", "hằng quý")]
    assert len({note.template for note in notes}) >= 15
    for note in notes:
        assert vietnamese(note.template) != note.template, note.template
        assert note.translated(vietnamese) != str(note)


def run_of(unit: str) -> str:
    return (unit * (100_000 // len(unit) + 1))[:100_000]


HOSTILE = [run_of(unit) for unit in ("tháng ", "ngày 1/", "quý ", "năm ", "định kỳ ", "từ tháng 1 đến ",
                                     "theo tiến độ ", "số 1/QĐ-UBND ngày 1/1/2026 ", "Sau 3 ", "1/", "thường xuyên ",
                                     "9", "quý I, ", "ngày 1 tháng 1 năm ", "trong ", "tháng 1 - ", "giai đoạn 2026-",
                                     " ")]


@pytest.mark.parametrize("text", HOSTILE, ids=[text[:12] for text in HOSTILE])
def test_ten_to_the_five_characters_of_near_matches_are_read_whole(text):
    timing = read_time(text, PLAN_YEAR)
    if timing is not None:
        assert isinstance(timing, Timing) and 0 <= timing.start < timing.end <= 200


def test_runs_of_near_matches_read_as_what_they_are():
    assert read_time("tháng " * 20000, PLAN_YEAR) is None
    assert read_time("ngày 1/" * 20000, PLAN_YEAR) is None
    assert read_time("quý " * 20000, PLAN_YEAR) is None
    assert read_time("số 1/QĐ-UBND ngày 1/1/2026 " * 4000, PLAN_YEAR) is None
    repeated = read_time("định kỳ " * 20000, PLAN_YEAR)
    assert (repeated.kind, repeated.schedule, repeated.sure) == ("recurring", None, False)
