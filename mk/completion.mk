# completion - bash completion and the rtvirt(1) man page, generated from the argparse parsers
# (host-tools/rtvirt/docgen.py), so they never drift from the command line.
#
#   make completion [O=DIR]    $(OUT)/doc/bash-completion/rtvirt, $(OUT)/doc/man/rtvirt.1
#
# Use: source $(OUT)/doc/bash-completion/rtvirt; man -l $(OUT)/doc/man/rtvirt.1

# groff renders the page in the tests
APT_PACKAGES += groff-base

.PHONY: completion
completion: venv
	$(VPY) -m rtvirt.docgen $(OUT)/doc
