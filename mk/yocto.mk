# meta-rtvirt and kas checks (no network): kas schema, oelint-adv, layer structure, and the
# layer's parse-time checks. kas and oelint-adv come with host-tools' [dev] extra (make venv);
# kas merges includes with git, which a clone of this repository has. The Linux inmates' device
# trees are compiled and read back with cpp, dtc and fdtget.
APT_PACKAGES += git cpp device-tree-compiler

.PHONY: yocto-check
yocto-check: venv apt
	$(VPY) -m pytest tests/yocto -q
