"""The national directory: Vietnam's provinces and communes as the national statistics office lists them
(the ``vietnam-provinces`` package), the bodies every province has, and the 2025 reform as dated successions.

Nothing here is typed by hand per province: the units and communes come from the package, the bodies from
one pattern per body (``data/standard_bodies.yaml``), the mergers from the resolutions that made them
(``data/reform_2025.yaml``). ``national_provinces`` and ``standard_bodies`` are all the rest of the engine
uses; docs/directory.md explains the facts and the choices.
"""
from engine.directory.bodies import standard_bodies
from engine.directory.provinces import national_provinces, province_code

__all__ = ["national_provinces", "province_code", "standard_bodies"]
