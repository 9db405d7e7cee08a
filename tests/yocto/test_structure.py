"""Structure of meta-rtvirt: licenses, sources, gated bbappends, a consistent layer.conf."""

import hashlib
import re

import pytest

from .conftest import LAYER, REPO, assignments, layer_files

RECIPES = layer_files("*.bb")
# Images and packagegroups have no sources, hence no license files of their own.
SOURCE_RECIPES = [recipe for recipe in RECIPES if "images" not in recipe.parts
                  and not recipe.name.startswith("packagegroup-")]
BBAPPENDS = layer_files("*.bbappend")
GATE = re.compile(
    r"^require \$\{@bb\.utils\.contains\('DISTRO_FEATURES', '(rtvirt|jailhouse)', "
    r"'[\w/.-]+\.inc', '', d\)\}$")


def value(path, name):
    values = assignments(path).get(name)
    return values[-1] if values else None


def recipe_source_dir(recipe):
    """Directory the recipe's S points at when it builds this repository (rtvirt_src)."""
    subdir = value(recipe, "RTVIRT_SUBDIR")
    return REPO / subdir if subdir else None


def license_checksums(recipe):
    for entry in value(recipe, "LIC_FILES_CHKSUM").split():
        path, _, params = entry.removeprefix("file://").partition(";")
        yield path, dict(param.split("=", 1) for param in params.split(";") if param)


@pytest.mark.parametrize("recipe", SOURCE_RECIPES, ids=lambda path: path.name)
def test_recipe_has_license_and_checksums(recipe):
    assert value(recipe, "LICENSE")
    assert list(license_checksums(recipe))
    for _, params in license_checksums(recipe):
        assert re.fullmatch("[0-9a-f]{32}", params.get("md5", ""))


@pytest.mark.parametrize("recipe", [r for r in RECIPES if recipe_source_dir(r)],
                         ids=lambda path: path.name)
def test_license_checksum_matches_the_file_in_this_repository(recipe):
    """This repository's license files are named from its top (RTVIRT_SRC_TOP), never
    relative to S, whose depth is the recipe's RTVIRT_SUBDIR."""
    ours = [(path.removeprefix("${RTVIRT_SRC_TOP}/"), params)
            for path, params in license_checksums(recipe)
            if path.startswith("${RTVIRT_SRC_TOP}/")]
    assert ours
    assert not [path for path, _ in license_checksums(recipe) if path.startswith("..")]
    for path, params in ours:
        licence = (REPO / path).resolve()
        assert licence.is_relative_to(REPO) and licence.is_file(), path
        assert hashlib.md5(licence.read_bytes()).hexdigest() == params["md5"], path


@pytest.mark.parametrize("recipe", SOURCE_RECIPES, ids=lambda path: path.name)
def test_upstream_sources_are_pinned(recipe):
    """Sources from outside this repository are pinned: an archive checksum or a commit."""
    text = recipe.read_text()
    uris = (value(recipe, "SRC_URI") or "").split()
    if re.search(r"^inherit .*\bpypi\b", text, re.M):
        assert re.search(r'^SRC_URI\[sha256sum\] = "[0-9a-f]{64}"$', text, re.M)
    if any(uri.startswith("git://") for uri in uris):
        assert re.search(r'^SRCREV(_\w+)? = "[0-9a-f]{40}"$', text, re.M)


@pytest.mark.parametrize("recipe", [r for r in RECIPES if recipe_source_dir(r)],
                         ids=lambda path: path.name)
def test_repository_paths_of_recipe_exist(recipe):
    paths = (value(recipe, "RTVIRT_SRC_PATHS") or "LICENSE ${RTVIRT_SUBDIR}").replace(
        "${RTVIRT_SUBDIR}", value(recipe, "RTVIRT_SUBDIR")).split()
    assert "${RTVIRT_SRC_URI}" in value(recipe, "SRC_URI").split()
    for path in paths:
        assert (REPO / path).exists(), f"{recipe.name}: {path} is not in the repository"


def local_files(path):
    """file:// entries of SRC_URI (plain assignments and appends) of a recipe or include."""
    found = assignments(path)
    uris = " ".join(v for name in ("SRC_URI", "SRC_URI:append") for v in found.get(name, []))
    return [uri.removeprefix("file://").split(";")[0] for uri in uris.split()
            if uri.startswith("file://")]


@pytest.mark.parametrize("path", layer_files("*.bb", "*.inc"), ids=lambda path: path.name)
def test_every_layer_file_uri_exists(path):
    search = [path.parent / "files", path.parent / path.stem.split("_")[0], path.parent]
    for name in local_files(path):
        assert any((directory / name).is_file() for directory in search), name


@pytest.mark.parametrize("bbappend", BBAPPENDS, ids=lambda path: path.name)
def test_bbappend_is_gated_by_a_distro_feature(bbappend):
    lines = [line for line in bbappend.read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    assert len(lines) == 1 and GATE.match(lines[0]), lines


@pytest.mark.parametrize("bbappend", BBAPPENDS, ids=lambda path: path.name)
def test_gated_include_exists(bbappend):
    included = re.search(r"'([\w/.-]+\.inc)'", bbappend.read_text()).group(1)
    assert (bbappend.parent / included).is_file() or (LAYER / included).is_file()


def test_bbappends_of_optional_layers_are_dynamic():
    core_kernels = {"linux-yocto-rt_%.bbappend"}
    for bbappend in BBAPPENDS:
        if bbappend.name not in core_kernels:
            assert bbappend.relative_to(LAYER).parts[0] == "dynamic-layers", bbappend


def test_layer_conf_is_consistent():
    conf = (LAYER / "conf" / "layer.conf").read_text()
    found = assignments(LAYER / "conf" / "layer.conf")
    collection = found["BBFILE_COLLECTIONS"][0]
    assert collection == "rtvirt-layer"
    for name in ("BBFILE_PATTERN", "BBFILE_PRIORITY", "LAYERVERSION", "LAYERSERIES_COMPAT",
                 "LAYERDEPENDS"):
        assert f"{name}_{collection}" in found, name
    assert found[f"LAYERSERIES_COMPAT_{collection}"] == ["wrynose"]
    assert set(found[f"LAYERDEPENDS_{collection}"][0].split()) == {"core", "meta-python"}
    dynamic = found["BBFILES_DYNAMIC"][0].split()
    for entry in dynamic:
        layer_name, _, pattern = entry.partition(":")
        directory = pattern.replace("${LAYERDIR}/", "").split("/*")[0]
        assert directory == f"dynamic-layers/{layer_name}", entry
    present = {path.name for path in (LAYER / "dynamic-layers").iterdir()}
    assert present <= {entry.partition(":")[0] for entry in dynamic}
    pylib = re.search(r"^addpylib \$\{LAYERDIR\}/(\S+) (\S+)$", conf, re.M)
    assert (LAYER / pylib.group(1) / pylib.group(2) / "__init__.py").is_file()


def test_distro_enables_the_gating_features():
    features = value(LAYER / "conf" / "distro" / "rtvirt.conf", "DISTRO_FEATURES").split()
    assert {"rtvirt", "jailhouse"} <= set(features)
