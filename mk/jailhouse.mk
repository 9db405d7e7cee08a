# jailhouse: rtvirt's Jailhouse cell configurations (agent/cells)
# and their compiled twins in tests/cells/data, which `make test` checks without a Jailhouse
# tree. After editing a cell config, rebuild the twins against a Jailhouse source tree:
#
#   make cells-fixtures JAILHOUSE_SRC=path/to/jailhouse     (gcc + objcopy, as Jailhouse does)
#
# and `make test RTVIRT_JAILHOUSE_SRC=path/to/jailhouse` also requires them to match the C sources.

.PHONY: cells-fixtures
cells-fixtures: venv apt
	@test -n "$(JAILHOUSE_SRC)" || { echo "cells-fixtures: set JAILHOUSE_SRC" >&2; exit 2; }
	$(VPY) tests/cells/build_cells.py "$(JAILHOUSE_SRC)" tests/cells/data
