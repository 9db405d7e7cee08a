"""Which scenarios a demo runs: groups, names, and what the target can run."""

import pytest
from rtvirt.demo.catalog import GROUPS, TargetFacts, choose, listing
from rtvirt_agent.wire.errors import UsageError

LAB = TargetFacts(cpus=[0, 1, 2, 3], emulated=True, blocksys=True)
JAILHOUSE_ROOT = TargetFacts(cpus=[0, 1], emulated=True, blocksys=True,
                             cells=("rtvirt-qemu-arm64", "rtvirt-baremetal", "rtvirt-linux-rt"))


def names(scenarios):
    return [scenario.name for scenario in scenarios]


def test_the_default_run_is_the_short_set():
    chosen, skipped = choose(LAB)
    assert names(chosen) == ["idle", "container", "blocksys-cpu1", "blocksys-all", "llc-stress"]
    assert skipped == []


def test_all_runs_every_scenario_the_target_can_and_says_why_not_the_others():
    chosen, skipped = choose(LAB, everything=True)
    assert {"concurrent", "container-blocksys", "llc-stress-cpu0-1",
            "host-load", "container-load"} <= set(names(chosen))
    assert ("jailhouse-root-idle", "no running Jailhouse cell rtvirt-baremetal, "
                                   "rtvirt-linux-rt on this target") in skipped
    assert not any(name.startswith("jailhouse-") for name in names(chosen))


def test_jailhouse_group_on_a_root_cell_runs_all_six():
    chosen, skipped = choose(JAILHOUSE_ROOT, groups=("jailhouse",))
    assert names(chosen) == [f"jailhouse-{cell}-{state}" for state in ("idle", "blocksys")
                             for cell in ("root", "baremetal", "linux")]
    assert skipped == []
    blocked = {s.name: s for s in chosen}["jailhouse-linux-blocksys"]
    assert blocked.disturbances[0].duration_us == 100_000  # scaled for emulation


def test_only_picks_by_name_in_catalog_order_and_skips_what_the_target_cannot():
    no_blocksys = TargetFacts(cpus=[0, 1], emulated=False, blocksys=False)
    chosen, skipped = choose(no_blocksys, only=["blocksys-all", "idle"])
    assert names(chosen) == ["idle"]
    assert skipped == [("blocksys-all", "blocksys is disabled in the agent's agent.toml")]


def test_an_unknown_name_is_a_usage_error_naming_the_choices():
    with pytest.raises(UsageError, match=r"unknown scenario\(s\) kvm-x: choose from idle, "
                                         r"container, .*\(rtvirt demo --list\)"):
        choose(LAB, only=["idle", "kvm-x"])


def test_the_listing_names_every_scenario_of_every_group_with_a_description():
    groups = listing()
    assert [group for group, _, _ in groups] == list(GROUPS)
    listed = {name: summary for _, _, scenarios in groups for name, summary in scenarios}
    assert {"idle", "container-blocksys", "concurrent", "host-load",
            "container-load", "llc-stress", "llc-stress-cpu0-1", "priospread",
            "jailhouse-root-blocksys",
            "jailhouse-linux-idle"} <= set(listed)
    assert all(summary and "\n" not in summary for summary in listed.values())
    assert "-n -m -Sp98 -i3000 -h400 on every CPU" in listed["llc-stress"]
