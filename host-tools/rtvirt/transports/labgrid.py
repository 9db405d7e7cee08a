"""``labgrid:ENV.yaml[#TARGET]`` and ``labgrid:place=NAME[?coordinator=HOST:PORT]`` — a board
of a labgrid environment file, or a place acquired through a coordinator for the command.

With an ``RtvirtStrategy`` in the environment the board is first brought up (powered, booted,
agent answering). The agent is reached on the target's serial resource: a local port, or one
exported by a labgrid exporter (ser2net, RFC 2217).
"""

from pathlib import Path
from urllib.parse import parse_qs

from rtvirt_agent.streams import Stream
from rtvirt_agent.wire.errors import RtvirtError, Unreachable, UsageError


class ClosingStream(Stream):
    """A stream that also lets go of what it was opened through (a place, an environment)."""

    def __init__(self, inner, release):
        self.inner, self._release = inner, release

    def read(self, max_bytes, timeout):
        return self.inner.read(max_bytes, timeout)

    def write(self, data):
        self.inner.write(data)

    def close(self):
        self.inner.close()
        release, self._release = self._release, None
        if release:
            release()


def _labgrid_errors(what, action):
    """labgrid's own exceptions (drivers, strategies, power commands) as Unreachable."""
    try:
        return action()
    except RtvirtError:
        raise
    except Exception as err:  # noqa: BLE001 - the edge of a third-party library
        raise Unreachable(f"labgrid {what}: {type(err).__name__}: {err}") from err


def place_stream(query):
    from rtvirt.labgrid.place import Place, coordinator_address
    from rtvirt.labgrid.resources import serial_resource, stream_for

    options = parse_qs(query.partition("?")[2])
    name = query.partition("?")[0].removeprefix("place=")
    if not name or set(options) - {"coordinator"}:
        raise UsageError(f"bad labgrid place {query!r}: labgrid:place=NAME[?coordinator=H:P]")
    place = _labgrid_errors(f"place {name}", lambda: Place(
        name, coordinator_address(options.get("coordinator", [None])[-1])))
    try:
        stream = stream_for(serial_resource(place.target))
    except BaseException:
        place.release()
        raise
    return ClosingStream(stream, place.release)


def environment_stream(rest):
    import labgrid
    from labgrid.exceptions import NoDriverFoundError

    import rtvirt.labgrid  # registers the driver and the strategy
    from rtvirt.labgrid.resources import serial_resource, stream_for

    path, _, name = rest.partition("#")
    if not Path(path).is_file():
        raise UsageError(f"labgrid environment file {path} not found")
    environment = _labgrid_errors(path, lambda: labgrid.Environment(config_file=path))
    target = environment.get_target(name or "main")
    if target is None:
        raise UsageError(f"labgrid environment {path} has no target {name or 'main'!r}")
    try:
        strategy = target.get_driver(rtvirt.labgrid.RtvirtStrategy, activate=False)
    except NoDriverFoundError:
        strategy = None
    if strategy is not None:
        _labgrid_errors(f"target {target.name}", lambda: strategy.transition("agent"))
    return ClosingStream(stream_for(serial_resource(target)), environment.cleanup)


def open_stream(rest):
    try:
        import labgrid  # noqa: F401
    except ImportError as err:
        raise UsageError("labgrid: targets need labgrid: pip install 'rtvirt[labgrid]'") from err
    if rest.startswith("place="):
        return place_stream(rest)
    return environment_stream(rest)
