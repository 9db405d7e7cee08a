"""docs/result.schema.json holds the result JSON every rtvirt output writes: real runs of the
core (also with -b), the record mirrored by Python and the example in examples/ validate
(``results show --json``: tests/host/test_results.py); a document that breaks the format does
not."""

import json
import subprocess
from pathlib import Path

import jsonschema
import pytest
from rtvirt_agent.wire.result import parse_result, result_to_json

from .test_core_result_format import sample_record

REPO = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((REPO / "docs" / "result.schema.json").read_text())


def check(document):
    """Validate against docs/result.schema.json (raises jsonschema.ValidationError)."""
    jsonschema.Draft202012Validator(SCHEMA).validate(document)


@pytest.mark.parametrize("flags", [["-t2", "-i500", "-l50", "-h100"],
                                   ["-a0", "-t2", "-l500", "-b1"]])
def test_real_runs_validate(core_binary, tmp_path, flags):
    js, rec = tmp_path / "r.json", tmp_path / "r.rtr"
    done = subprocess.run([str(core_binary), *flags, "-q", f"--result-json={js}",
                           f"--result={rec}"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    check(json.loads(js.read_text()))
    check(result_to_json(parse_result(rec.read_bytes())))


def test_sample_with_a_break_and_the_example_validate():
    check(result_to_json({**sample_record(), "stop_reason": "break",
                          "break": {"threshold_us": 5, "thread": 0, "cycle": 3,
                                    "value_ns": 9000}}))
    check(json.loads((REPO / "examples" / "result.json").read_text()))


@pytest.mark.parametrize("mutate", [
    lambda d: d.pop("threads"),
    lambda d: d.update(stop_reason="crashed"),
    lambda d: d.update(version=2),
    lambda d: d["threads"][0].update(max_ns=-1),
    lambda d: d["threads"][0]["histogram"]["counts"].append([3]),
    lambda d: d.update(surprise=True),
])
def test_broken_documents_are_refused(mutate):
    document = result_to_json(sample_record())
    mutate(document)
    with pytest.raises(jsonschema.ValidationError):
        check(document)
