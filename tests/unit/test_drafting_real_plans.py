"""Drafting the real plans of 2026 in tests/plans (a task table with merged rows, a body and its appendix, dated
schedules and lettered duties, per-agency blocks), each against the answers read from it by hand.

Each draft is matched to the hand-read items by title (the words two titles share) and number; of the tasks the
plan assigns, the draft must find nearly all, invent almost nothing, name the lead the plan names (a body of the
plan's own province, or a group where the plan writes one) and read the date the plan writes. The measure is
written here, in the project's own words; the thresholds are those a coordinator needs to check a draft rather
than type it again.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re

import pytest
import yaml

from engine.drafting import draft_here
from engine.model import search
from engine.services import directory as directories
from engine.store.database import Database
from engine.store.uow import UnitOfWork
from tests.conftest import ROOT

PLANS = ROOT / "tests" / "plans"
NAMES = sorted(path.name[:-len(".gold.yaml")] for path in PLANS.glob("*.gold.yaml"))
#: What each plan must reach (item recall, precision, lead, deadline); the measured figures are in the note.
FLOOR = {"recall": 0.85, "precision": 0.9, "lead": 0.9, "deadline": 0.85}


@pytest.fixture(scope="module")
def national(national_schema):
    database = Database(national_schema)
    yield directories.load_directory(UnitOfWork(database.sessions))
    database.dispose()


def words(text) -> set[str]:
    return set(re.sub(r"[^a-z0-9]+", " ", search.folded(str(text or ""))).split())


def likeness(gold: str, draft: str) -> float:
    """How alike two titles are: the share of words they have in common (of the gold title's opening words in
    the draft's, when a draft title runs on into the task's text)."""
    a, b = words(gold), words(draft)
    head = words(" ".join(search.folded(draft).split()[:len(search.folded(gold).split()) + 2]))
    return max((2 * len(a & x) / (len(a) + len(x))) if a and x else 0.0 for x in (b, head))


def flat(items) -> list[dict]:
    out = []
    for item in items or []:
        out.append(item)
        out += flat(item.get("items"))
    return out


def matched(gold_items: list[dict], draft_items: list[dict]) -> dict[int, int]:
    """Gold item → draft item, the most alike pairs first (the same number counts: whole, or its last part),
    each used once."""
    pairs = []
    for g, gold in enumerate(gold_items):
        number = str(gold.get("number", ""))
        for d, draft in enumerate(draft_items):
            like = likeness(gold.get("title", ""), draft.get("title", ""))
            drafted = str(draft.get("number", ""))
            same = 0.3 if drafted == number else 0.1 if drafted.split(".")[-1] == number.split(".")[-1] else 0.0
            if like >= 0.6 or like >= 0.3 and same:
                pairs.append((like + same, g, d))
    used_g, used_d, out = set(), set(), {}
    for _, g, d in sorted(pairs, key=lambda pair: (-pair[0], pair[1], pair[2])):  # ties: in the documents' order
        if g not in used_g and d not in used_d:
            used_g.add(g), used_d.add(d)
            out[g] = d
    return out


def lead_is_right(draft: dict, gold_lead, agencies) -> bool:
    named = draft.get("lead") or draft.get("performers")
    named = named if isinstance(named, list) else [named]
    golds = gold_lead if isinstance(gold_lead, list) else [gold_lead]
    for gold in golds:
        for one in named:
            if isinstance(gold, dict):  # a group: a group, or the group's words kept as written
                if isinstance(one, dict) and one.get("groups") or isinstance(one, str) and \
                        likeness(gold["group"], one) >= 0.8:
                    return True
            elif isinstance(one, str):
                names = agencies[one].labels() if one in agencies else (one,)
                if any(likeness(gold, name) >= 0.8 or search.folded(name) in search.folded(gold) and
                       len(words(gold) - words(name)) <= 2 for name in names):
                    return True
    return False


def end_of(schedule: dict | None) -> dt.date | None:
    if not schedule:
        return None
    if "deadline" in schedule:
        return dt.date.fromisoformat(str(schedule["deadline"]))
    if "window" in schedule:
        year, month = int(schedule["window"]["year"]), int(schedule["window"]["month"])
        return dt.date(year, month, calendar.monthrange(year, month)[1])
    if "year" in schedule:
        return dt.date(int(schedule["year"]), 12, 31)
    return dt.date.fromisoformat(str(schedule["continuous"]["until"]))


def measured(name: str, national) -> dict[str, float]:
    gold = yaml.safe_load((PLANS / f"{name}.gold.yaml").read_text(encoding="utf-8"))
    draft = draft_here((PLANS / f"{name}.txt").read_bytes(), f"{name}.txt", national)
    province = draft.template["province"]
    agencies = draft_directory(national, province)
    gold_items, draft_items = gold["items"], flat(draft.template["items"])
    pairs = matched(gold_items, draft_items)
    core = [g for g, item in enumerate(gold_items) if item.get("core")]
    found = [g for g in core if g in pairs]
    right = [g for g in pairs if gold_items[g].get("kind") != "not_a_task"]
    leads = [g for g in found if gold_items[g].get("lead") and not gold_items[g].get("lead_ambiguous")
             and "by_reference" not in str(gold_items[g]["lead"])]
    dated = [g for g in found if (gold_items[g].get("time") or {}).get("date")
             and not gold_items[g]["time"].get("ambiguous")]
    good_leads = [g for g in leads if lead_is_right(draft_items[pairs[g]], gold_items[g]["lead"], agencies)]
    good_dates = [g for g in dated if (end := end_of(draft_items[pairs[g]].get("schedule"))) is not None
                  and abs((end - dt.date.fromisoformat(str(gold_items[g]["time"]["date"]))).days) <= 1]
    return {"recall": len(found) / len(core), "precision": len(right) / len(draft_items),
            "lead": len(good_leads) / len(leads) if leads else 1.0,
            "deadline": len(good_dates) / len(dated) if dated else 1.0, "province": province}


def draft_directory(national, province: str):
    """The bodies a draft may name: its province's and the national ones."""
    return {code: agency for code, agency in national.agencies.items() if agency.province in (province, "VN")}


@pytest.mark.parametrize("name", NAMES)
def test_a_real_plan_of_2026_is_drafted_with_its_tasks_leads_and_dates(name, national):
    figures = measured(name, national)
    low = {key: round(figures[key], 2) for key, floor in FLOOR.items() if figures[key] < floor}
    assert low == {}, figures


def test_the_real_plans_are_four_of_three_provinces():
    assert len(NAMES) == 4 and {name.split("-")[0] for name in NAMES} == {"ha", "hue", "lam"}


@pytest.mark.parametrize("name", NAMES)
def test_no_draft_names_a_body_of_another_province(name, national):
    draft = draft_here((PLANS / f"{name}.txt").read_bytes(), f"{name}.txt", national)
    province = draft.template["province"]
    named = set()
    for item in flat(draft.template["items"]):
        for key in ("lead", "performers", "coordinating"):
            value = item.get(key)
            for one in value if isinstance(value, list) else [value]:
                if isinstance(one, str) and one in national.agencies:
                    named.add(one)
    assert named and {national.agencies[code].province for code in named} <= {province, "VN"}


TWO_PROVINCES = ("ỦY BAN NHÂN DÂN TỈNH {upper} | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 12/KH-UBND | {name}, ngày 5 "
                 "tháng 2 năm 2026\nKẾ HOẠCH\nPhát triển thương mại điện tử năm 2026\nII. NỘI DUNG\n"
                 "1. Hỗ trợ doanh nghiệp bán hàng trực tuyến\n(Sở Công Thương chủ trì, Sở Tài chính, Công an tỉnh phối "
                 "hợp thực hiện trong quý II năm 2026)\n2. Quảng bá sản phẩm\n- UBND phường Lào Cai chủ trì thực "
                 "hiện trước ngày 30/9/2026.\nIV. TỔ CHỨC THỰC HIỆN\n1. Sở Công Thương\n- Là cơ quan thường trực, theo dõi, "
                 "đôn đốc thực hiện Kế hoạch.\n")


@pytest.mark.parametrize("name, code", [("Lâm Đồng", "LDG"), ("Lào Cai", "LCI")])
def test_the_same_names_resolve_in_each_plan_s_own_province_and_a_name_it_lacks_is_kept_and_flagged(
        national, name, code):
    text = TWO_PROVINCES.format(upper=name.upper(), name=name)
    draft = draft_here(text.encode(), "ke-hoach.txt", national)
    first, second = draft.template["items"][:2]
    assert (draft.template["province"], draft.template["standing_body"]) == (code, f"{code}-SCT")
    assert (first["lead"], first["coordinating"]) == (f"{code}-SCT", [f"{code}-STC", f"{code}-CA"])
    assert first["schedule"]["deadline"] == "2026-06-30"
    assert second["schedule"]["deadline"] == "2026-09-30"
    if code == "LCI":  # a ward of Lào Cai: in Lào Cai's plan, that ward's committee
        assert second["lead"] == "LCI-P-LAOCAI"
        return
    # In Lâm Đồng's plan the same words name no body of the province: kept as written and flagged with Lâm Đồng's
    # own nearest names, never Lào Cai's ward
    assert second["lead"] == "UBND phường Lào Cai" and "LCI-" not in str(draft.template)
    flag = next(flag for flag in draft.flags if flag.path == "items.2.lead")
    assert "not in the agency directory of the plan's province" in flag.message
    assert all(suggested.startswith(f"{code}-") for suggested in flag.suggestions)
