"""The files of the audit chain's checkpoints: the signing key (PEM, its owner's alone, never overwritten)
and the checkpoints themselves, one JSON line each, appended to a file the auditors keep outside the
database (``engine.model.checkpoints`` says what a line holds and how it is signed)."""
from __future__ import annotations

import json
import os
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
    load_pem_private_key,
    load_pem_public_key,
)

from engine.errors import Conflict, Invalid
from engine.i18n import t
from engine.model.checkpoints import Checkpoint, public_from_hex

KEY_MODE = 0o600


def _create(path: Path, content: bytes, mode: int, field: str) -> None:
    """Write a new file, refusing one that is already there."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    except FileExistsError:
        raise Conflict(t("%(path)s already exists: a key file is never overwritten (name a new file)",
                         path=str(path))) from None
    except OSError as error:
        raise Invalid(t("%(path)s cannot be written: %(why)s", path=str(path), why=error.strerror),
                      errors={field: [error.strerror]}) from None
    with os.fdopen(descriptor, "wb") as file:
        os.fchmod(descriptor, mode)  # whatever the umask
        file.write(content)
        file.flush()
        os.fsync(descriptor)


def public_pem(public: Ed25519PublicKey) -> str:
    return public.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode("ascii")


def write_private_key(path: Path, key: Ed25519PrivateKey) -> None:
    """The signing key as PEM (PKCS #8, unencrypted), readable by its owner alone."""
    _create(path, key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()), KEY_MODE, "private")


def write_public_key(path: Path, public: Ed25519PublicKey) -> None:
    _create(path, public_pem(public).encode("ascii"), 0o644, "public")


def _read(path: Path, field: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise Invalid(t("%(path)s cannot be read: %(why)s", path=str(path), why=error.strerror),
                      errors={field: [error.strerror]}) from None


def read_private_key(path: Path) -> Ed25519PrivateKey:
    """The signing key written by ``write_private_key``."""
    try:
        key = load_pem_private_key(_read(path, "key"), password=None)
    except (ValueError, TypeError):
        key = None
    if not isinstance(key, Ed25519PrivateKey):
        raise Invalid(t("%(path)s is not an unencrypted Ed25519 private key in PEM ('planflow audit keygen' "
                        "makes one)", path=str(path)), errors={"key": [t("not an Ed25519 private key")]})
    return key


def read_public_key(path: Path) -> Ed25519PublicKey:
    """A key the checkpoints are checked against: a PEM public key (as ``keygen`` prints it), the raw key in
    hex (as a checkpoint line carries it), or the private key itself (its public half)."""
    content = _read(path, "public_key")
    key = None
    try:
        if b"PRIVATE KEY" in content:
            private = load_pem_private_key(content, password=None)
            key = private.public_key() if isinstance(private, Ed25519PrivateKey) else None
        elif b"PUBLIC KEY" in content:
            key = load_pem_public_key(content)
        else:
            key = public_from_hex(content.decode("ascii").strip())
    except (ValueError, TypeError, UnicodeDecodeError):
        key = None
    if not isinstance(key, Ed25519PublicKey):
        raise Invalid(t("%(path)s holds no Ed25519 public key (PEM or 64 hex digits)", path=str(path)),
                      errors={"public_key": [t("not an Ed25519 public key")]})
    return key


def append_checkpoint(path: Path, checkpoint: Checkpoint) -> None:
    """Add one line, on disk before this returns (lines are short: appends from two workers do not mix)."""
    line = (json.dumps(checkpoint.as_json(), sort_keys=True, separators=(",", ":")) + "\n").encode("ascii")
    try:
        with path.open("a+b") as file:
            if file.seek(0, os.SEEK_END) > 0:
                file.seek(-1, os.SEEK_END)
                if file.read(1) != b"\n":
                    line = b"\n" + line  # a line cut short by a crash stays a line of its own
            file.write(line)
            file.flush()
            os.fsync(file.fileno())
    except OSError as error:
        raise Invalid(t("%(path)s cannot be written: %(why)s", path=str(path), why=error.strerror),
                      errors={"checkpoints": [error.strerror]}) from None


def read_checkpoints(path: Path) -> list[tuple[int, Checkpoint | str]]:
    """Each non-blank line by its number: the checkpoint, or why it cannot be read as one."""
    lines = []
    for number, text in enumerate(_read(path, "checkpoints").decode("utf-8", "replace").splitlines(), 1):
        if not text.strip():
            continue
        try:
            lines.append((number, Checkpoint.from_json(json.loads(text))))
        except ValueError as error:  # json's errors are ValueErrors too
            lines.append((number, str(error)))
    return lines


def last_checkpoint(path: Path) -> Checkpoint | None:
    """The last readable checkpoint of the file; None when there is none (or no file yet)."""
    if not path.exists():
        return None
    readable = [read for _, read in read_checkpoints(path) if isinstance(read, Checkpoint)]
    return readable[-1] if readable else None
