"""Files and folders the user asked rtvirt to write (``-o``, ``--junit``, report folders).

The file system's refusals become typed errors naming the path: a folder that does not exist
or a path that is not writable is a usage error (exit 2); a full disk or a read-only file
system is a storage error (exit 4).
"""

import contextlib
import errno
from pathlib import Path

from rtvirt_agent.wire.errors import UsageError

from rtvirt.errors import StorageError

STORAGE_ERRNOS = {errno.ENOSPC, errno.EROFS, errno.EDQUOT, errno.EIO, errno.EFBIG}


@contextlib.contextmanager
def writing(path):
    """Run the body that writes ``path`` (a file or a folder's contents)."""
    try:
        yield
    except OSError as err:
        where = err.filename or path
        if err.errno in STORAGE_ERRNOS:
            raise StorageError(f"cannot write {where}: {err.strerror}") from err
        hint = " (the folder does not exist)" if err.errno == errno.ENOENT else ""
        raise UsageError(f"cannot write {where}: {err.strerror}{hint}") from err


def write_output(path, payload):
    """Write ``payload`` (bytes or text) to the file ``path``."""
    with writing(path):
        if isinstance(payload, str):
            Path(path).write_text(payload, encoding="utf-8")
        else:
            Path(path).write_bytes(payload)
