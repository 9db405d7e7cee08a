"""One damaged record on the target does not stop ``results fetch`` (issue 14 item 3): the
healthy ones are stored, the bad ids named (content checked against its id, the sha256),
and ``--delete-damaged`` removes them from the target."""

import json
from pathlib import Path

from rtvirt_agent.store import ResultStore


def test_fetch_stores_the_healthy_results_and_names_the_damaged(rtvirt, agent_uri, tmp_path,
                                                                make_record):
    target = ResultStore(tmp_path / "target-results")
    healthy = [target.put(make_record(name)) for name in ("one", "two")]
    corrupt = target.put(make_record("corrupt"))
    path = Path(target.directory) / f"{corrupt}.result"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    misnamed = "0" * 64  # a whole, valid record under an id that is not its hash
    (Path(target.directory) / f"{misnamed}.result").write_bytes(make_record("misnamed"))

    done = rtvirt("results", "fetch", target=agent_uri)
    assert "Traceback" not in done.stderr
    assert done.returncode == 4, done.stderr
    assert corrupt in done.stderr and misnamed in done.stderr
    stored = {row["id"] for row in json.loads(rtvirt("results", "list", "--json").stdout)}
    assert stored == set(healthy)

    cleaned = rtvirt("results", "fetch", "--delete-damaged", target=agent_uri)
    assert cleaned.returncode == 4, cleaned.stderr
    assert {entry["id"] for entry in target.list()} == set(healthy)
    again = rtvirt("results", "fetch", target=agent_uri)
    assert again.returncode == 0, again.stderr
    assert "2 result(s) on the target, 0 new" in again.stderr
