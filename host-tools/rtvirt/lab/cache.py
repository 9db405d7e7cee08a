"""Content-addressed build cache: an artifact is rebuilt only when one of its inputs changes.

Each artifact lives in ``$RTVIRT_CACHE/lab/<kind>/<key>/`` where the key is the hash of its
inputs. A ``.complete`` stamp written last lists the files the build produced with their sizes;
an entry whose stamp is missing or whose files do not match it (an interrupted build, a
truncated file) is treated as absent and built again.
"""

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

STAMP = ".complete"
KEEP_PER_KIND = 3


def cache_root():
    """The cache directory (``$RTVIRT_CACHE``, default ``~/.cache/rtvirt``)."""
    return Path(os.environ.get("RTVIRT_CACHE") or Path.home() / ".cache" / "rtvirt")


def hash_inputs(inputs):
    """Hex digest of ``inputs``: a dict of name → str, bytes or Path (file or directory)."""
    digest = hashlib.sha256()
    for name in sorted(inputs):
        digest.update(name.encode() + b"\0")
        value = inputs[name]
        if isinstance(value, Path):
            _hash_path(digest, value)
        else:
            digest.update(value if isinstance(value, bytes) else str(value).encode())
        digest.update(b"\0")
    return digest.hexdigest()[:20]


def _hash_path(digest, path):
    """Feed a file's bytes, or a directory's relative names and file bytes, into ``digest``."""
    files = [path] if path.is_file() else sorted(
        p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for file in files:
        digest.update(str(file.relative_to(path) if file != path else file.name).encode())
        digest.update(file.read_bytes())


def _manifest(directory):
    return {str(p.relative_to(directory)): p.stat().st_size
            for p in sorted(directory.iterdir()) if p.is_file() and p.name != STAMP}


def _is_complete(entry, key):
    try:
        stamp = json.loads((entry / STAMP).read_text())
    except (OSError, ValueError):
        return False
    return stamp.get("key") == key and stamp.get("files") == _manifest(entry)


def cached(kind, inputs, build):
    """Path of the artifact directory for ``inputs``, calling ``build(tmpdir)`` if needed.

    ``build`` writes the artifact's files into the directory it is given; the entry becomes
    visible (atomically renamed) only once it returned. Older entries of ``kind`` are pruned.
    """
    key = hash_inputs(inputs)
    kind_dir = cache_root() / "lab" / kind
    entry = kind_dir / key
    if _is_complete(entry, key):
        os.utime(entry)  # most recently used: the last to be pruned
        return entry
    kind_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".build-", dir=kind_dir))
    try:
        build(work)
        (work / STAMP).write_text(json.dumps({"key": key, "files": _manifest(work)}))
        shutil.rmtree(entry, ignore_errors=True)
        work.rename(entry)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    _prune(kind_dir, keep=entry)
    return entry


def _prune(kind_dir, keep):
    """Remove all but the newest ``KEEP_PER_KIND`` entries of a kind (never ``keep``)."""
    entries = sorted((p for p in kind_dir.iterdir() if p.is_dir() and not p.name.startswith(".")),
                     key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP_PER_KIND:]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)
