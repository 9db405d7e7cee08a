"""The kas files validate against kas's own schema, alone and merged with their includes."""

import argparse
import re

import jsonschema
import pytest
import yaml
from kas.configschema import CONFIGSCHEMA

from .conftest import KAS_DIR, REPO

MACHINE_FILES = {
    "rtvirt-imx8mp.yml": "imx8mp-lpddr4-evk",
    "rtvirt-x86-64.yml": "genericx86-64",
    "rtvirt-qemux86-64.yml": "qemux86-64",
}
ALL_FILES = sorted(KAS_DIR.rglob("*.yml"))


@pytest.fixture(scope="module")
def merge(tmp_path_factory, monkeypatch_module):
    """Merge a kas file with its includes the way `kas build` does (offline, local includes)."""
    from kas.context import create_global_context
    from kas.includehandler import IncludeHandler

    monkeypatch_module.setenv("KAS_WORK_DIR", str(tmp_path_factory.mktemp("kas")))
    create_global_context(argparse.Namespace(no_color=True))

    def merged(*names):
        handler = IncludeHandler([str(KAS_DIR / name) for name in names], use_lock=False)
        config, missing = handler.get_config()
        assert missing == []
        return config
    return merged


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_every_machine_file_exists():
    assert {path.name for path in KAS_DIR.glob("*.yml")} == set(MACHINE_FILES)


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda path: path.name)
def test_file_validates_against_kas_schema(path):
    jsonschema.validate(yaml.safe_load(path.read_text()), CONFIGSCHEMA)


@pytest.mark.parametrize("name, machine", MACHINE_FILES.items())
def test_merged_config_is_complete_and_valid(merge, name, machine):
    config = merge(name)
    jsonschema.validate({key: value for key, value in config.items()
                         if not key.startswith("_")}, CONFIGSCHEMA)
    assert config["machine"] == machine
    assert config["distro"] == "rtvirt"
    assert {"bitbake", "openembedded-core", "meta-openembedded", "rtvirt"} <= set(config["repos"])
    assert "meta-rtvirt" in config["repos"]["rtvirt"]["layers"]


@pytest.mark.parametrize("name", MACHINE_FILES)
def test_every_fetched_repository_is_pinned_by_commit(merge, name):
    config = merge(name, "include/virtualization.yml")
    for repo_name, repo in config["repos"].items():
        if repo and repo.get("url"):
            assert re.fullmatch("[0-9a-f]{40}", repo.get("commit", "")), repo_name


def test_virtualization_include_adds_the_layers_it_depends_on(merge):
    config = merge("rtvirt-x86-64.yml", "include/virtualization.yml")
    assert {"meta-networking", "meta-filesystems"} <= set(
        config["repos"]["meta-openembedded"]["layers"])
    assert "meta-virtualization" in config["repos"]


def test_kas_files_reference_no_machine_paths():
    for path in ALL_FILES:
        assert str(REPO) not in path.read_text()
