"""The limits file's scenarios as the demo's scenario descriptions (``rtvirt.demo``): the
same measurement and disturbances run by the same runner, with qualify's own settings."""

from rtvirt.demo.disturbance import Blocksys, Load
from rtvirt.demo.scenario import Measurement, Scenario

DEFAULT_LOAD = "llc-stress"
DEFAULT_BLOCK = {"block_us": 4000, "block_period_ms": 500, "block_cpus": "all"}


def measure_request(measure):
    """The measure op's arguments for a limits file's ``[measure]`` table."""
    every_cpu = measure["affinity"] == "all"
    request = {"affinity": None if every_cpu else measure["affinity"], "smp": every_cpu,
               "priority": measure["priority"], "interval_us": measure["interval_us"],
               "histogram_us": measure["histogram_us"]}
    if "distance_us" in measure:
        request["distance_us"] = measure["distance_us"]
    return request


def disturbances(plan, housekeeping_cpu):
    """What disturbs the measurement in ``plan``; a load defaults to the first online CPU."""
    settings = plan.settings
    if plan.name == "load":
        return (Load(settings.get("load", DEFAULT_LOAD),
                     settings.get("load_cpus", str(housekeeping_cpu))),)
    if plan.name == "blocksys":
        block = {**DEFAULT_BLOCK, **settings}
        return (Blocksys(block["block_us"], block["block_cpus"], block["block_period_ms"]),)
    return ()


def scenario_of(plan, housekeeping_cpu):
    """The ``demo.scenario.Scenario`` that measures ``plan`` (a ``limits.Plan``) at its place."""
    return Scenario(plan.name, f"qualify: {plan.name}",
                    measurements=(Measurement(place_of(plan), measure_request(plan.measure)),),
                    disturbances=disturbances(plan, housekeeping_cpu))


def place_of(plan):
    """Where ``plan`` measures (a ``demo.place`` place): in its Jailhouse cell (relayed by the
    root cell's agent), in its KVM guest (relayed by the host's agent), in a container, or on
    the target itself."""
    cell = plan.settings.get("cell") or plan.measure.get("cell")
    if cell:
        return f"cell:{cell}"
    if "vm" in plan.settings:
        return f"vm:{plan.settings['vm']}"
    return "container" if plan.name == "container" else "host"
