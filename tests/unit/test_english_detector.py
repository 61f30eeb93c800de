"""The detector of English that tests/api/test_no_english.py reads every page and error with: it finds an English
sentence, a label or a time in UTC, and passes Vietnamese, codes and names; and every error's title has its
Vietnamese."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.api.english import english_sentences, utc_times, visible_text


@pytest.mark.parametrize("english", [
    "Files of this type cannot be attached as evidence.", "The file's name says .pdf but its content is text",
    "Missing data for required field.", "Not Found", "Sign out", "Dashboard", "1 items found (1 top-level)",
    "Length must be between 1 and 100.", "waived_by", "relevant_units", "to do", "in progress, on time"])
def test_the_detector_finds_an_english_sentence(english):
    assert english_sentences(english) == [english]


@pytest.mark.parametrize("vietnamese", [
    "Không thể đính kèm loại tệp này làm minh chứng (được phép: PDF, ảnh, Word, Excel).",
    "Công an tỉnh chủ trì, do Sở TT&TT phối hợp; in báo cáo gửi Ban Chỉ đạo 138 tỉnh",
    "an ninh mạng, can thiệp, so sánh, may mặc", "Thanh tra kinh tế - xã hội, Đắk Nông, Phú Quý, Xuân Hương",
    "Mã truy cập API của dieuphoi.ldg: pf_abc123 (hết hạn 08:00 01/10/2026)", "QNG-STTTT, 249/KH-BCD138",
    "items[0].schedule: '0-12-31' không phải là một ngày", "hãy dùng mã 32 ký tự (0–9, a–f)", "planflow"])
def test_the_detector_passes_vietnamese_codes_and_names(vietnamese):
    assert english_sentences(vietnamese, {"congan"}) == []


def test_the_detector_reads_a_page_as_a_person_does():
    page = ('<html lang="vi"><head><title>Việc của tôi</title><style>.x{color:red}</style></head><body>'
            '<script>var message = "This is not read";</script><a lang="en" href="/language/en">English</a>'
            '<button title="Close this window">×</button><p>Công việc <code>report_result</code></p>'
            '<textarea># Check every field\nlead: QNG-CA\ntype: string</textarea><pre>the file as sent</pre>'
            '<input type="submit" value="Save"></body></html>')
    assert english_sentences(visible_text(page)) == ["Close this window", "# Check every field", "Save"]
    assert english_sentences(visible_text('<html lang="en"><p>Việc</p></html>')) == ["This page is in en."]


def test_the_detector_finds_a_time_in_utc_but_not_vietnam_s():
    assert utc_times("lúc 2022-06-01T01:00:00+00:00, 08:00Z hay 08:00 UTC") == ["01:00:00+00:00", "08:00Z", "08:00 UTC"]
    assert utc_times("lúc 08:00 01/06/2022 (2022-06-01T08:00:00+07:00)") == []


def test_the_title_of_every_error_of_the_engine_has_its_vietnamese():
    from babel.messages.pofile import read_po

    from engine.errors import PlanflowError
    catalogue = Path(__file__).resolve().parents[2] / "engine" / "translations" / "vi" / "LC_MESSAGES"
    vietnamese = {message.id: message.string for message in read_po((catalogue / "messages.po").open("rb"))}
    import engine.model.policy  # noqa: F401 - its errors are PlanflowError's too
    import engine.store.schema  # noqa: F401

    def kinds(kind):
        return [kind] + [each for sub in kind.__subclasses__() for each in kinds(sub)]
    untranslated = {kind.title for kind in kinds(PlanflowError) if not vietnamese.get(kind.title)}
    assert untranslated == set(), "mark the title in frontdoor/problems.py and write its Vietnamese"
