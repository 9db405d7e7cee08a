"""The initramfs writer produces newc archives the kernel (and cpio) can read."""

import stat

from .initramfs import TRAILER, newc_archive


def read_newc(blob):
    """(name, mode, rdev, data) of every entry, read back by the format's own rules."""
    entries, offset = [], 0
    while True:
        assert blob[offset:offset + 6] == b"070701"
        fields = [int(blob[offset + 6 + 8 * i:offset + 14 + 8 * i], 16) for i in range(13)]
        name_start = offset + 110
        name = blob[name_start:name_start + fields[11] - 1].decode()
        data_start = name_start + fields[11] + (-(110 + fields[11]) % 4)
        data = blob[data_start:data_start + fields[6]]
        if name == TRAILER:
            return entries
        entries.append((name, fields[1], (fields[9], fields[10]), data))
        offset = data_start + fields[6] + (-fields[6] % 4)


def test_archive_round_trip():
    blob = newc_archive(["dev", "lib"], {"init": (b"\x7fELF", 0o755), "lib/x": (b"abcde", 0o644)})
    assert len(blob) % 4 == 0
    entries = read_newc(blob)
    assert [entry[0] for entry in entries] == ["dev", "lib", "dev/console", "init", "lib/x"]
    assert entries[2][1:3] == (stat.S_IFCHR | 0o600, (5, 1))
    assert entries[3][1] == stat.S_IFREG | 0o755 and entries[3][3] == b"\x7fELF"
    assert entries[4][3] == b"abcde"
