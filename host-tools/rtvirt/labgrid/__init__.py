"""rtvirt on labgrid: boards and places of a labgrid lab as rtvirt targets (docs/farm.md).

``driver`` (``RtvirtDriver``: the agent on a labgrid serial resource), ``strategy``
(``RtvirtStrategy``: power, console, then the agent), ``resources`` (a labgrid serial resource
as an rtvirt byte stream), ``place`` (acquiring a place through a coordinator); the fixtures
for ``pytest --lg-env`` are in ``rtvirt.pytestplugin``. Importing this package registers the
driver and the strategy with labgrid (``imports: [rtvirt.labgrid]`` in an environment file).
labgrid itself is optional: ``pip install 'rtvirt[labgrid]'``.
"""

from rtvirt.labgrid.driver import RtvirtDriver
from rtvirt.labgrid.strategy import RtvirtStrategy

__all__ = ["RtvirtDriver", "RtvirtStrategy"]
