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

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
