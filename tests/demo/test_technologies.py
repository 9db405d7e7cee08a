"""The seed's comparison of technologies, filled from a demo's outcomes."""

import io

from rtvirt.demo.catalog import all_scenarios
from rtvirt.demo.engine import Outcome
from rtvirt.demo.technologies import NOT_MEASURED, comparison, html_comparison, print_comparison
from rtvirt.report.run import CpuRun, Run

SCENARIOS = {scenario.name: scenario for scenario in all_scenarios([0, 1], emulated=False)}


def outcome(name, max_us, overflow_us=(), priority=99):
    """An outcome of the catalog's scenario ``name``: one run, every CPU at ``max_us``,
    ``overflow_us`` the latencies above its 400 µs histogram."""
    cpus = tuple(CpuRun(cpu=cpu, cycles=1000, min_ns=1000, avg_ns=5000,
                        max_ns=int(max_us * 1000), missed=0, p999_ns=None, bucket_ns=1000,
                        buckets=400, histogram=((5, 1000),), overflow_total=len(overflow_us),
                        overflow_ns=tuple(int(us * 1000) for us in overflow_us))
                 for cpu in (0, 1))
    run = Run(result_id=f"{name:x<64}"[:64], cpus=cpus, labels={"scenario": name},
              params={"priority": priority}, duration_s=10.0)
    return Outcome(SCENARIOS[name], runs=[run])


def rows(*outcomes):
    return dict(comparison(outcomes))


def test_docker_row_from_the_container_scenarios():
    docker = rows(outcome("idle", 29), outcome("container", 93),
                  outcome("container-blocksys", 3900, overflow_us=[3800] * 16))["Docker"]
    realtime, same, separation = docker
    assert realtime.text == "yes: SCHED_FIFO measurement, worst 93 µs"
    assert realtime.evidence == (SCENARIOS["container"].name.ljust(64, "x"),)
    assert same.text == "no: worst 93 µs vs 29 µs on the host (×3.2)"
    assert len(same.evidence) == 2
    assert separation.text.startswith("no: 32 latencies of a 4 ms host block reached the guest")


def test_columns_without_their_scenarios_are_not_measured():
    table = rows(outcome("idle", 29))
    assert [cell.text for cell in table["Docker"]] == [NOT_MEASURED] * 3
    assert [cell.text for cell in table["KVM"]] == [NOT_MEASURED] * 3
    assert all(cell.evidence == () for cell in table["KVM"])


def test_jailhouse_inmates_spared_by_root_blocks_are_separated():
    jailhouse = rows(outcome("jailhouse-root-idle", 20), outcome("jailhouse-baremetal-idle", 7),
                     outcome("jailhouse-linux-idle", 25),
                     outcome("jailhouse-baremetal-blocksys", 8),
                     outcome("jailhouse-linux-blocksys", 26))["Jailhouse"]
    realtime, same, separation = jailhouse
    assert same.text == "yes: worst 25 µs vs 20 µs on the host (×1.2)"
    assert separation.text == "yes: 4 ms host blocks did not reach the guest (worst 26 µs)"
    assert len(separation.evidence) == 4


def test_a_guest_without_fifo_priority_is_not_real_time():
    docker = rows(outcome("container", 50, priority=0))["Docker"]
    assert docker[0].text.startswith("no:")


def test_both_renderings_carry_the_evidence():
    table = comparison([outcome("idle", 29), outcome("container", 93)])
    fragment = html_comparison(table)
    assert f'<a href="#{"container".ljust(64, "x")}">' in fragment
    assert NOT_MEASURED in fragment
    for fmt in ("table", "plain"):  # a rich table wraps its cells at 80 columns
        printed = io.StringIO()
        print_comparison(table, emulated=True, fmt=fmt, stream=printed)
        text = "".join(printed.getvalue().split())
        assert "emulated(TCG)" in text and "containerxxx" in text, fmt


def test_the_comparison_in_a_pipe_is_plain_and_whole():
    printed = io.StringIO()  # not a terminal
    print_comparison(comparison([outcome("idle", 29), outcome("container", 93)]),
                     emulated=False, stream=printed)
    lines = printed.getvalue().splitlines()
    assert not any(set(line) & set("┃│┏━┡╇") for line in lines), lines
    assert any(line.startswith("Docker") and "results containerxxx" in line for line in lines)


def test_kvm_row_from_the_kvm_scenarios_blocks_on_the_vcpu_cpus_reach_the_guest():
    kvm = rows(outcome("kvm-host-idle", 26), outcome("kvm-guest-idle", 606),
               outcome("kvm-host-blocksys", 4100, overflow_us=[4000] * 10))["KVM"]
    realtime, same, separation = kvm
    assert realtime.text.startswith("yes")
    assert same.text.startswith("no: worst 606 µs vs 26 µs on the host")
    assert separation.text.startswith("no: 20 latencies of a 4 ms host block reached")
