"""What the commands that bring spreadsheets in and take them out share: reading the file given, within the
size an import reads, and the format an output's name asks for."""
from __future__ import annotations

from pathlib import Path

import click

from engine.services.people_files import MAX_FILE_BYTES


def read_upload(path: Path) -> bytes:
    """The file's bytes; refused (a usage error) when it is larger than any spreadsheet an import reads."""
    with path.open("rb") as opened:
        data = opened.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise click.UsageError(f"{path} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; split it")
    return data


def format_of(path: Path) -> str:
    """csv for a name ending .csv, else xlsx."""
    return "csv" if path.suffix.lower() == ".csv" else "xlsx"


#: ``--province`` of an import: whose people or bodies the file holds.
importing_province = click.option("--province", default=None, help="Province code (LDG); a national administrator's "
                                                                   "file may name it in a column Tỉnh instead.")
#: ``--province`` of an export.
exporting_province = click.option("--province", default=None,
                                  help="Province code (LDG; an administrator's own by default).")

