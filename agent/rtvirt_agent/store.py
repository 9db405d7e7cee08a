"""The target-side results directory: immutable result records kept until deleted.

Each record is ``<id>.result`` where id = ``result_id(data)`` (sha256 hex), with a small
``<id>.meta.json`` beside it (creation time, labels) so listing does not parse records.
Files are written tmp → fsync → rename → fsync(directory): a power cut leaves either the
whole record or nothing, never a torn one.
"""

import contextlib
import json
import os
import re
import threading
import time
from pathlib import Path

from .wire.errors import ResultFormatError
from .wire.result import parse_result, result_id

_ID = re.compile(r"^[0-9a-f]{64}$")
_SUFFIX = ".result"
_META_SUFFIX = ".meta.json"


class StoreError(Exception):
    """A bad id or a missing result; ``code`` is the agent error code it maps to."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def _unique(directory, prefix):
    """A fresh name that ends in "-<pid>-<random>" (see ``remove_leftovers``)."""
    return directory / f"{prefix}-{os.getpid()}-{os.urandom(6).hex()}"


def _remove_tree(top):
    """Remove a directory tree (symbolic links are removed, never followed)."""
    for parent, directories, files in os.walk(top, topdown=False):
        for name in files:
            os.unlink(os.path.join(parent, name))
        for name in directories:
            path = os.path.join(parent, name)
            if os.path.islink(path):
                os.unlink(path)
            else:
                os.rmdir(path)
    os.rmdir(top)


def _in_use(path):
    """Whether a live process names ``path`` on its command line (e.g. ``--result=PATH/...``)."""
    needle = os.fsencode(path)
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if needle in cmdline.read_bytes():
                return True
        except OSError:
            continue
    return False


def _write_atomically(path, data):
    tmp_name = _unique(path.parent, ".tmp")
    handle = os.open(tmp_name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(handle, "wb") as tmp:
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.rename(tmp_name, path)
    except BaseException:
        os.unlink(tmp_name)
        raise
    directory = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


class ResultStore:
    """Results in one directory; safe to use from several handler threads."""

    def __init__(self, directory):
        self.directory = Path(directory)
        self._lock = threading.Lock()

    def _path(self, rid, suffix=_SUFFIX):
        if not isinstance(rid, str) or not _ID.match(rid):
            raise StoreError("bad-argument", f"result id must be 64 lower-case hex digits: {rid!r}")
        return self.directory / f"{rid}{suffix}"

    @contextlib.contextmanager
    def work_dir(self, name):
        """A private scratch directory in the store (same file system as the results), removed
        afterwards: where the core writes its record before it is stored."""
        self.directory.mkdir(parents=True, exist_ok=True)
        path = _unique(self.directory, f".work-{name}")
        path.mkdir(mode=0o700)
        try:
            yield str(path)
        finally:
            _remove_tree(path)

    def remove_leftovers(self):
        """Remove temporary files and work directories of agents that died (kill -9, power
        cut); those of live agents sharing the directory stay, and so does a work directory
        a process still names on its command line (a core still writing its result). A
        complete result left in a dead agent's work directory is adopted into the store.
        Returns the names removed."""
        removed = []
        for path in self.directory.glob(".[tw]*-*-*"):
            owner = path.name.rsplit("-", 2)[-2]
            if not path.name.startswith((".tmp-", ".work-")) or not owner.isdigit():
                continue
            if os.path.exists(f"/proc/{owner}") or _in_use(path):
                continue
            if path.is_dir():
                self._adopt(path)
                _remove_tree(path)
            else:
                path.unlink()
            removed.append(path.name)
        return removed

    def _adopt(self, work_dir):
        """Store the record a core finished in ``work_dir`` after its agent died."""
        for candidate in work_dir.iterdir():
            try:
                data = candidate.read_bytes()
                labels = parse_result(data).get("labels", {})
            except (OSError, ResultFormatError):
                continue
            self.put(data, labels)

    def put(self, data, labels=None):
        """Store ``data`` (idempotent: the same bytes give the same id, stored once)."""
        rid = result_id(data)
        path = self._path(rid)
        meta = {"created": time.time(), "labels": dict(labels or {})}
        with self._lock:
            self.directory.mkdir(parents=True, exist_ok=True)
            if not path.exists():
                _write_atomically(self._path(rid, _META_SUFFIX), json.dumps(meta).encode())
                _write_atomically(path, bytes(data))
        return rid

    def get(self, rid):
        try:
            return self._path(rid).read_bytes()
        except FileNotFoundError:
            raise StoreError("not-found", f"no result {rid} on this target") from None

    def delete(self, rid):
        path = self._path(rid)
        with self._lock:
            try:
                path.unlink()
            except FileNotFoundError:
                raise StoreError("not-found", f"no result {rid} on this target") from None
            self._path(rid, _META_SUFFIX).unlink(missing_ok=True)

    def _entry(self, path):
        rid = path.name[: -len(_SUFFIX)]
        stat = path.stat()
        try:
            meta = json.loads(self._path(rid, _META_SUFFIX).read_text())
        except (OSError, ValueError):
            meta = {}
        return {"id": rid, "size": stat.st_size, "created": meta.get("created", stat.st_mtime),
                "labels": meta.get("labels", {})}

    def list(self):
        """[{"id", "size", "created", "labels"}] oldest first."""
        entries = []
        for path in self.directory.glob(f"*{_SUFFIX}"):
            if _ID.match(path.name[: -len(_SUFFIX)]):
                try:
                    entries.append(self._entry(path))
                except FileNotFoundError:
                    continue  # deleted by another request meanwhile
        return sorted(entries, key=lambda entry: (entry["created"], entry["id"]))
