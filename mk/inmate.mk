# inmate: the bare-metal Jailhouse measurement inmate (agent/inmate, docs/inmate.md), built
# against a Jailhouse source tree; arm64 only (the cells that load it are arm64's).
#
#   make inmate-arm64 JAILHOUSE=DIR [O=DIR]    $(OUT)/inmate/arm64/rtvirt-inmate.bin
.PHONY: inmate-arm64
inmate-arm64: inmate-%:
	@test -n "$(JAILHOUSE)" || { echo "inmate-$*: set JAILHOUSE to a Jailhouse source tree" >&2; exit 2; }
	$(MAKE) -s -C agent/inmate JAILHOUSE=$(abspath $(JAILHOUSE)) O=$(OUT)/inmate/$* \
		CROSS_COMPILE=$(CROSS_COMPILE_$*)
