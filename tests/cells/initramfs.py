"""Write a newc cpio archive (an initramfs) without external tools."""

import stat

TRAILER = "TRAILER!!!"


def _entry(name, mode, data=b"", rdev=(0, 0), inode=0):
    # ino, mode, uid, gid, nlink, mtime, filesize, devmajor, devminor, rdevmajor, rdevminor,
    # namesize, check
    fields = [inode, mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1], len(name) + 1, 0]
    header = "070701" + "".join(f"{value:08x}" for value in fields)
    blob = header.encode() + name.encode() + b"\0"
    blob += b"\0" * (-len(blob) % 4)
    return blob + data + b"\0" * (-len(data) % 4)


def newc_archive(directories, files, console=True):
    """Bytes of an archive with ``directories``, ``files`` ({path: (bytes, mode)}) and,
    unless told otherwise, /dev/console, which the kernel opens for init."""
    entries = [(path, stat.S_IFDIR | 0o755, b"", (0, 0)) for path in directories]
    if console:
        entries.append(("dev/console", stat.S_IFCHR | 0o600, b"", (5, 1)))
    entries += [(path, stat.S_IFREG | mode, data, (0, 0))
                for path, (data, mode) in files.items()]
    parts = [_entry(path, mode, data, rdev, inode)
             for inode, (path, mode, data, rdev) in enumerate(entries, start=1)]
    parts.append(_entry(TRAILER, 0))
    return b"".join(parts)
