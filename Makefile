# rtvirt - real-time latency qualification for PREEMPT_RT Linux.
#
# Every target installs what it needs, idempotently: Debian packages through tools/apt-install,
# Python packages into .venv. Downloads (kernels, root filesystems, headers) are cached under
# $(RTVIRT_CACHE), which this Makefile owns.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
VPY := $(VENV)/bin/python
export RTVIRT_CACHE ?= $(HOME)/.cache/rtvirt

# Every build output goes under $(OUT): build/ by default, O=DIR puts it elsewhere (the lab
# builds into its cache with the same targets). The sub-makes get their own output directory
# explicitly, so O is not passed on (Kbuild would take it for the kernel's).
OUT := $(abspath $(or $(O),build))
MAKEOVERRIDES := $(filter-out O=%,$(MAKEOVERRIDES))

# Packages every target needs; part fragments in mk/ add to these.
APT_PACKAGES := build-essential python3-venv
TEST_DEPS := venv apt
BENCH_DEPS := venv apt
DEMO_DEPS := venv apt
PYTEST_ARGS ?=

.PHONY: all venv apt test bench lint demo clean
all: test

include $(sort $(wildcard mk/*.mk))

apt:
	tools/apt-install $(APT_PACKAGES)

venv: $(VENV)/.installed
$(VENV)/.installed: agent/pyproject.toml host-tools/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install -q --upgrade pip
	$(VPY) -m pip install -q -e agent -e 'host-tools[dev]'
	touch $@

test: $(TEST_DEPS)
	$(VPY) -m pytest $(PYTEST_ARGS)

bench: $(BENCH_DEPS)
	mkdir -p bench/results
	$(VPY) -m bench

lint: venv
	$(VENV)/bin/ruff check agent host-tools tests bench

demo: $(DEMO_DEPS)
	$(VENV)/bin/rtvirt demo

# The tree as a fresh clone: what the builds, pip's editable installs, pytest, ruff, hypothesis
# and Python leave in it (tests/builder checks it against git). KEEP_VENV=1 keeps .venv.
clean:
	rm -rf build agent/core/build agent/inmate/build agent/*.egg-info host-tools/*.egg-info \
		.pytest_cache .ruff_cache .hypothesis .import_linter_cache bench/results/*.json $(if $(KEEP_VENV),,$(VENV))
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
	$(MAKE) -s -C agent/blocksys clean-local
