"""The words of form errors, in Vietnamese and English.

Fields and schemas raise message codes; this module turns marshmallow's nested
error tree into ``{field path: [messages]}`` in the user's language, with paths
written the way a person reads them: ``contribution.summary``, ``evidence[2]``.
"""
from __future__ import annotations

from engine.errors import field_errors as engine_field_errors
from forms.fields import MAX_EVIDENCE, MAX_ITEMS
from forms.schemas import MAX_DEPTH, MAX_KEYS

LOCALES = ("vi", "en")
FORM = ""  # the path of an error about the form as a whole

CATALOGUE: dict[str, dict[str, str]] = {
    "required": {"vi": "Trường này là bắt buộc.", "en": "This field is required."},
    "null": {"vi": "Trường này không nhận giá trị null; hãy bỏ trường đi hoặc điền giá trị.",
             "en": "This field may not be null; leave it out or fill it in."},
    "blank": {"vi": "Trường này không được để trống.", "en": "This field may not be blank."},
    "not_a_string": {"vi": "Giá trị phải là văn bản.", "en": "This must be text."},
    "not_a_boolean": {"vi": "Giá trị phải là đúng (true) hoặc sai (false).",
                      "en": "This must be true or false."},
    "not_a_list": {"vi": "Giá trị phải là một danh sách.", "en": "This must be a list."},
    "not_a_date": {"vi": "Ngày không hợp lệ; hãy ghi theo dạng NNNN-TT-NN, ví dụ 2022-09-30.",
                   "en": "Not a valid date; write it as YYYY-MM-DD, e.g. 2022-09-30."},
    "not_a_number": {"vi": "Giá trị phải là một số.", "en": "This must be a number."},
    "not_an_object": {"vi": "Giá trị phải là một đối tượng JSON (các cặp tên và giá trị).",
                      "en": "This must be a JSON object (names and values)."},
    "unknown_field": {"vi": "Biểu mẫu này không có trường này.", "en": "This form has no such field."},
    "evidence_id": {"vi": "Mã minh chứng không hợp lệ: hãy dùng mã 32 ký tự (0–9, a–f) nhận được "
                          "khi tải tệp lên.",
                    "en": "Not a valid evidence id: use the 32-character id (0-9, a-f) returned "
                          "when the file was uploaded."},
    "too_many_evidence": {"vi": f"Mỗi trường có tối đa {MAX_EVIDENCE} minh chứng.",
                          "en": f"At most {MAX_EVIDENCE} evidence files per field."},
    "duplicate": {"vi": "Danh sách có mục bị lặp lại.", "en": "An entry is listed twice."},
    "too_many_items": {"vi": f"Tối đa {MAX_ITEMS} mục.", "en": f"At most {MAX_ITEMS} entries."},
    "return_reason_required": {"vi": "Phải nêu lý do trả lại khi không phê duyệt.",
                               "en": "Give the reason for returning the result when it is not approved."},
    "return_reason_when_approved": {"vi": "Khi đã phê duyệt thì để trống lý do trả lại.",
                                    "en": "Leave the reason for returning empty when the result is approved."},
    "bad_character": {"vi": "Văn bản có ký tự không lưu được (ký tự NUL hoặc lỗi mã hóa).",
                      "en": "The text has a character that cannot be stored (NUL or a broken encoding)."},
    "key_not_text": {"vi": "Tên trường phải là văn bản.", "en": "Field names must be text."},
    "not_json": {"vi": "Giá trị không ghi được dưới dạng JSON.", "en": "This value cannot be written as JSON."},
    "too_deep": {"vi": f"Dữ liệu lồng nhau quá {MAX_DEPTH} cấp.",
                 "en": f"The data is nested more than {MAX_DEPTH} levels deep."},
    "too_many_keys": {"vi": f"Biểu mẫu có quá {MAX_KEYS} trường.",
                      "en": f"The form has more than {MAX_KEYS} fields."},
    "too_large": {"vi": "Dữ liệu biểu mẫu vượt quá 64 KiB.", "en": "The form data is larger than 64 KiB."},
    "invalid": {"vi": "Giá trị không hợp lệ.", "en": "Invalid value."},
}
TOO_LONG = {"vi": "Văn bản dài quá {max} ký tự.", "en": "The text is longer than {max} characters."}

SUMMARY_FIELD = {"vi": "Trường “{where}” chưa hợp lệ: {what}", "en": "The field “{where}” is not valid: {what}"}
SUMMARY_FORM = {"vi": "Biểu mẫu chưa hợp lệ: {what}", "en": "The form is not valid: {what}"}
SUMMARY_MANY = {"vi": "Biểu mẫu có {count} trường chưa hợp lệ; trường “{where}”: {what}",
                "en": "The form has {count} invalid fields; “{where}”: {what}"}
WHOLE_FORM = {"vi": "toàn biểu mẫu", "en": "the whole form"}


def locale_of(locale: str | None) -> str:
    """``"vi"`` or ``"en"`` from a tag like ``"en-US"``; Vietnamese unless English is asked for."""
    language = (locale or "").replace("_", "-").split("-")[0].lower()
    return language if language in LOCALES else "vi"


def translate(code: str, locale: str) -> str:
    """The sentence for a message code; codes ``too_long_N`` carry their limit."""
    if code.startswith("too_long_") and code.removeprefix("too_long_").isdigit():
        return TOO_LONG[locale].format(max=f"{int(code.removeprefix('too_long_')):,}".replace(
            ",", "." if locale == "vi" else ","))
    return CATALOGUE.get(code, CATALOGUE["invalid"])[locale]


def field_errors(errors: dict, locale: str) -> dict[str, list[str]]:
    """Marshmallow's error tree as path → messages in the reader's language."""
    return {path: [translate(str(code), locale) for code in codes]
            for path, codes in engine_field_errors(errors, root=FORM).items()}


def summary(errors: dict[str, list[str]], label: str | None, locale: str) -> str:
    """One sentence naming the first problem (and how many fields have one)."""
    path, messages = next(iter(errors.items()))
    what = messages[0][:1].lower() + messages[0][1:]
    if len(errors) > 1:
        template = SUMMARY_MANY
    else:
        template = SUMMARY_FIELD if path != FORM else SUMMARY_FORM
    return template[locale].format(count=len(errors), where=label or path or WHOLE_FORM[locale], what=what)
