"""Bash completion and man pages generated from rtvirt's own argparse parsers, so they never
drift from the command line: ``python -m rtvirt.docgen OUT_DIR`` (``make completion``) writes
OUT_DIR/bash-completion/rtvirt and OUT_DIR/man/rtvirt.1 (one page: the global options, then
each command with its options and actions).
"""

import argparse
import sys
from pathlib import Path

from rtvirt import __version__
from rtvirt.cli import build_parser


def _subparsers(parser):
    """``{name: parser}`` of a parser's subcommands (in definition order)."""
    for action in parser._actions:  # argparse keeps no public list
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _options(parser):
    return [opt for action in parser._actions for opt in action.option_strings]


def _words(parser, path=()):
    """``(path of command words, words that may follow)`` for every (sub)command."""
    subs = _subparsers(parser)
    yield path, [*_options(parser), *subs]
    for name, sub in subs.items():
        yield from _words(sub, (*path, name))


def bash_completion(parser):
    """A bash completion script: after the known command words, their options and actions."""
    cases = "\n".join(f'        "{" ".join(path)}") words="{" ".join(words)}" ;;'
                      for path, words in _words(parser))
    return f"""# bash completion for rtvirt {__version__}, generated from its parsers (docgen)
_rtvirt() {{
    local cur path="" word i
    cur="${{COMP_WORDS[COMP_CWORD]}}"
    for ((i = 1; i < COMP_CWORD; i++)); do
        word="${{COMP_WORDS[i]}}"
        case "$word" in -*) continue ;; esac
        case "${{path:+$path }}$word" in
{_known_paths(parser)}
        esac
    done
    local words=""
    case "$path" in
{cases}
    esac
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
}}
complete -o default -F _rtvirt rtvirt
"""


def _known_paths(parser):
    paths = [" ".join(path) for path, _ in _words(parser) if path]
    return "\n".join(f'            "{p}") path="{p}" ;;' for p in paths)


def _roff(text):
    """Text safe in a man page line: backslashes, dashes, leading dots and non-ASCII escaped."""
    text = (text or "").replace("\\", "\\e").replace("-", "\\-")
    text = "".join(ch if ch.isascii() else f"\\[u{ord(ch):04X}]" for ch in text)
    return "\\&" + text if text.startswith((".", "'")) else text


def _option_lines(parser):
    lines, formatter = [], parser._get_formatter()
    for action in parser._actions:
        if not action.option_strings or action.help == argparse.SUPPRESS:
            continue
        metavar = "" if action.nargs == 0 else " " + (action.metavar or action.dest.upper())
        lines += [".TP", "\\fB" + _roff(", ".join(action.option_strings)) + "\\fR"
                  + _roff(str(metavar)),
                  _roff(formatter._expand_help(action) if action.help else "")]
    return lines


def man_page(parser):
    """rtvirt(1) in man(7) macros."""
    lines = [f'.TH RTVIRT 1 "" "rtvirt {__version__}" "User Commands"', ".SH NAME",
             "rtvirt \\- " + _roff(parser.description), ".SH SYNOPSIS",
             "\\fBrtvirt\\fR [\\fIOPTIONS\\fR] \\fICOMMAND\\fR ...", ".SH OPTIONS",
             *_option_lines(parser), ".SH COMMANDS"]
    for path, _ in _words(parser):
        if not path:
            continue
        sub = parser
        for word in path:
            sub = _subparsers(sub)[word]
        lines += [".SS " + _roff("rtvirt " + " ".join(path)), _roff(sub.description or "")]
        lines += _option_lines(sub)
    lines += [".SH EXIT STATUS",
              "0 success, 1 limits exceeded or a failing finding, 2 usage, 3 target "
              "unreachable or timed out, 4 protocol or data error.",
              ".SH SEE ALSO", "cyclictest(8); docs/cli.md in the rtvirt sources"]
    return "\n".join(lines) + "\n"


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: python -m rtvirt.docgen OUT_DIR", file=sys.stderr)
        return 2
    out, parser = Path(argv[0]), build_parser()
    (out / "bash-completion").mkdir(parents=True, exist_ok=True)
    (out / "man").mkdir(parents=True, exist_ok=True)
    (out / "bash-completion" / "rtvirt").write_text(bash_completion(parser))
    (out / "man" / "rtvirt.1").write_text(man_page(parser))
    print(f"{out}/bash-completion/rtvirt, {out}/man/rtvirt.1")
    return 0


if __name__ == "__main__":
    sys.exit(main())
