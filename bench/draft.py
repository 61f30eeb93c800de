"""How long drafting a template from a 40-page plan takes (`planflow templates draft`).

    .venv/bin/python bench/draft.py [--pages 40] [--repeat 3] [--json]

The plan is made up here in the form of the province's plans (header, sections, numbered items each with
its body text and the sentence that assigns it: "(X chủ trì, Y phối hợp thực hiện trong tháng 9/2022)"),
about 3,000 characters a page, the agencies taken from the seed directory. It is drafted from plain text
and from the same text as a .docx; the baseline in the same run is reading the .docx alone (python-docx),
which the drafting cannot do without.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import platform
import sys
from pathlib import Path
from time import perf_counter

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from engine.drafting import draft_template  # noqa: E402
from engine.drafting.reading import read_document  # noqa: E402
from engine.model.agencies import Agency, AgencyDirectory  # noqa: E402

PAGE = 3000
BODY = ("Tổ chức tuyên truyền đa dạng, phong phú với nhiều hình thức, phù hợp với đặc điểm, đặc thù của từng đối "
        "tượng; lựa chọn nội dung trọng tâm, cốt lõi, bám sát các văn bản của Đảng, Nhà nước và quy định của pháp "
        "luật về bảo đảm an toàn, an ninh mạng; kịp thời biểu dương, khen thưởng các tập thể, cá nhân điển hình.")


def directory() -> AgencyDirectory:
    data = yaml.safe_load((ROOT / "seed" / "plan_agencies.yaml").read_text(encoding="utf-8"))
    return AgencyDirectory.of(Agency(**{key: tuple(value) if isinstance(value, list) else value
                                        for key, value in row.items()}) for row in data["agencies"])


def plan_text(pages: int, names: list[str]) -> str:
    lines = ["UBND TỈNH QUẢNG NGÃI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "BAN CHỈ ĐẠO 138 Độc lập - Tự do - Hạnh phúc",
             "Số: 99/KH-BCD138", "Quảng Ngãi, ngày 25 tháng 5 năm 2022", "KẾ HOẠCH",
             "Tăng cường phòng ngừa vi phạm pháp luật trên không gian mạng năm 2022",
             "I. MỤC ĐÍCH, YÊU CẦU", BODY, "II. NỘI DUNG THỰC HIỆN"]
    number = 0
    while sum(len(line) for line in lines) < pages * PAGE:
        number += 1
        lead, partner = names[number % len(names)], names[(number * 7 + 3) % len(names)]
        lines += [f"{number}. Nhiệm vụ số {number} về tuyên truyền, phổ biến pháp luật trên không gian mạng",
                  BODY, BODY, f"({lead} chủ trì, {partner} phối hợp thực hiện trong tháng {number % 12 + 1}/2022)"]
    lines += ["IV. TỔ CHỨC THỰC HIỆN", "1. Giao Công an tỉnh là cơ quan thường trực, theo dõi, đôn đốc."]
    return "\n".join(lines)


def as_docx(text: str) -> bytes:
    import docx
    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def best(repeat: int, work) -> float:
    times = []
    for _ in range(repeat):
        started = perf_counter()
        work()
        times.append(perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    agencies = directory()
    names = [agency.short_name for agency in agencies.agencies.values()
             if agency.province == "QNG" and agency.level == "department"]
    text = plan_text(args.pages, names)
    docx_bytes = as_docx(text)
    items = len(draft_template(text.encode(), "plan.txt", agencies).items)
    figures = {
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "pages": args.pages, "characters": len(text), "items": items,
        "text_seconds": round(best(args.repeat, lambda: draft_template(text.encode(), "plan.txt", agencies)), 3),
        "docx_seconds": round(best(args.repeat, lambda: draft_template(docx_bytes, "plan.docx", agencies)), 3),
        "docx_reading_only_seconds": round(best(args.repeat, lambda: read_document(docx_bytes, "plan.docx")), 3),
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"drafting a template, {figures['machine']}")
    print(f"  a {args.pages}-page plan: {len(text):,} characters, {items} items")
    print(f"  from text:  {figures['text_seconds']:.3f} s")
    print(f"  from .docx: {figures['docx_seconds']:.3f} s (reading the .docx alone, the baseline: "
          f"{figures['docx_reading_only_seconds']:.3f} s)")


if __name__ == "__main__":
    main()
