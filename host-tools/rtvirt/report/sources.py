"""Where the runs of a report come from: result files (.rtr binary, .json) or the host store.

A reference that names an existing file is read from it; anything else is a result id or an
unambiguous id prefix in the store. Every record is parsed (and so checked) before it is shown.
"""

import json
from pathlib import Path

from rtvirt_agent.wire.errors import ResultFormatError, UsageError
from rtvirt_agent.wire.result import build_result, parse_result, result_id

from rtvirt.report.run import Run


def run_from_bytes(data):
    return Run.from_result(parse_result(data), result_id(data))


def run_from_file(path):
    """A run from a binary record or its JSON mirror (``rtvirt results export``).

    A JSON result is encoded again, which checks it and gives the id of that encoding.
    """
    try:
        content = path.read_bytes()
    except OSError as err:
        raise UsageError(f"cannot read result file {path}: {err.strerror}") from err
    if path.suffix != ".json":
        return run_from_bytes(content)
    try:
        document = json.loads(content)
    except (ValueError, UnicodeDecodeError) as err:
        raise ResultFormatError(f"{path} is not a JSON result: {err}") from err
    return run_from_bytes(build_result(document))


def load_runs(references, store):
    """One ``Run`` per reference, in the order given."""
    if not references:
        raise UsageError("no results given: name result ids (see 'rtvirt results list') "
                         "or result files")
    runs = []
    for reference in references:
        path = Path(reference)
        runs.append(run_from_file(path) if path.is_file() else run_from_bytes(store.get(reference)))
    return runs
