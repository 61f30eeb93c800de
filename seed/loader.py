"""Loading the seed: the agency directory, the standard processes, the plan templates, demo users.

``planflow seed`` and ``make run`` call ``load_seed``; running it again
changes nothing that is already there.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import yaml

from engine.errors import Conflict
from engine.model.actors import SYSTEM
from engine.services import definitions, directory, templates, users

if TYPE_CHECKING:
    from engine.store import UnitOfWork

HERE = Path(__file__).resolve().parent
AGENCIES = HERE / "plan_agencies.yaml"

#: Demo users: one per role, agency members of several agencies (seed plan 249 of Quảng Ngãi).
DEMO_USERS = [
    ("dieuphoi", ["coordinator"], "QNG-BCD138", "Điều phối viên BCĐ 138 tỉnh"),
    ("congan", ["agency_member"], "QNG-CA", "Cán bộ Công an tỉnh"),
    ("stttt", ["agency_member"], "QNG-STTTT", "Cán bộ Sở Thông tin và Truyền thông"),
    ("sgddt", ["agency_member"], "QNG-SGDDT", "Cán bộ Sở Giáo dục và Đào tạo"),
    ("binhson", ["agency_member"], "QNG-H-BINHSON", "Cán bộ UBND huyện Bình Sơn"),
    ("pheduyet", ["approver"], "QNG-CA", "Lãnh đạo Công an tỉnh (cơ quan thường trực)"),
    ("kiemtra", ["auditor"], None, "Kiểm tra viên"),
    ("quantri", ["admin"], None, "Quản trị hệ thống"),
]


def demo_password() -> str:
    return os.environ.get("PLANFLOW_DEMO_PASSWORD") or "planflow-demo-2022"


def load_seed(uow: UnitOfWork, clock, say: Callable[[str], None] = print) -> None:
    national = directory.load_national(uow, clock, SYSTEM)
    say(f"national directory ({national.data_version}): {national.provinces} provinces and "
        f"{national.agencies} bodies added")
    count = directory.import_agencies(uow, clock, SYSTEM, yaml.safe_load(AGENCIES.read_text(encoding="utf-8")))
    say(f"agencies: {count} of the seed plans' provinces as they were")
    for item in definitions.deploy_directory(uow, clock, SYSTEM):
        say(f"process {item.key} v{item.version}{' (new)' if item.new else ''}")
    for info in templates.register_directory(uow, clock, SYSTEM):
        say(f"template {info.key} v{info.version}: {info.items} items{' (new)' if info.new else ''}")
    password = demo_password()
    for username, roles, agency, name in DEMO_USERS:
        try:
            users.add_user(uow, clock, SYSTEM, username, password, roles, agency, name,
                           email=f"{username}@planflow.example")
        except Conflict:
            pass
    say(f"demo users (password '{password}'): " + ", ".join(
        f"{username} ({'/'.join(roles)}{', ' + agency if agency else ''})"
        for username, roles, agency, _ in DEMO_USERS))
