"""Bash completion and the man page come from the parsers: the completion completes commands,
actions and options as bash runs it, and the page renders without groff warnings."""

import re
import shutil
import subprocess

import pytest
from rtvirt.docgen import main


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("doc")
    assert main([str(out)]) == 0
    return out


def complete(generated, *words):
    """What bash's completion offers for the last of ``words`` after ``rtvirt``."""
    script = (f"source {generated / 'bash-completion' / 'rtvirt'}\n"
              f"COMP_WORDS=(rtvirt {' '.join(words)}); COMP_CWORD={len(words)}\n"
              '_rtvirt; printf "%s\\n" "${COMPREPLY[@]}"\n')
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_completion_follows_the_parsers(generated):
    assert complete(generated, "res") == ["results"]
    assert complete(generated, "results", "c") == ["compare"]
    assert complete(generated, "--target", "local:", "measure", "--prio") == [
        "--priority", "--priospread"]
    assert "--max-regression" in complete(generated, "results", "compare", "--")


@pytest.mark.skipif(not shutil.which("groff"), reason="groff not installed")
def test_man_page_renders_cleanly(generated):
    done = subprocess.run(["groff", "-man", "-Tutf8", "-ww",
                           str(generated / "man" / "rtvirt.1")],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0 and not done.stderr, done.stderr
    for heading in ("rtvirt results compare", "rtvirt measure", "EXIT STATUS"):
        assert heading in re.sub(".\b", "", done.stdout)   # groff's overstrike bold
