import base64
import re

from rtvirt.report.html import default_output, write_report


def test_report_folder_holds_index_and_every_plot(tmp_path, make_run):
    runs = [make_run("idle"), make_run("blocksys all")]
    index = write_report(runs, tmp_path / "report")
    page = index.read_text()
    images = re.findall(r'<img src="data:image/png;base64,([^"]+)"', page)
    assert len(images) == 2                     # embedded: the one file is the whole report
    pngs = sorted(index.parent.glob("*.png"))
    assert [base64.b64decode(image) for image in images] == [p.read_bytes() for p in pngs]
    assert "blocksys-all" in pngs[1].name
    assert page.count("<h2") == 3  # comparison + one per run


def test_report_explains_emulated_figures(tmp_path, make_run):
    emulated = write_report([make_run(emulated=True)], tmp_path / "a").read_text()
    real = write_report([make_run()], tmp_path / "b").read_text()
    assert 'class="emulated"' in emulated
    assert 'class="emulated"' not in real


def test_report_shows_run_facts_escaped(tmp_path, make_run):
    page = write_report([make_run(labels={"note": "<b>"}, pm_qos_held=False)],
                        tmp_path).read_text()
    assert "<dt>label note</dt><dd>&lt;b&gt;</dd>" in page
    assert "not held" in page


def test_notes_appear_under_their_run_only(tmp_path, make_run):
    first, second = make_run("idle"), make_run("blocksys-all")
    page = write_report([first, second], tmp_path,
                        notes={second.result_id: ["blocksys: 4 block(s) <all>"]}).read_text()
    assert page.count("<ul>") == 1
    assert page.index("blocksys: 4 block(s) &lt;all&gt;") > page.index(f'id="{second.result_id}"')


def test_default_output_is_a_new_folder_outside_the_checkout(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    folder = default_output("demo")
    assert folder.parent == tmp_path / "rtvirt" / "reports"
    assert folder.name.startswith("demo-")


def test_facts_name_parameters_the_command_and_the_start(tmp_path, make_run):
    page = write_report([make_run()], tmp_path).read_text()
    assert "<dt>histogram range (-h)</dt><dd>400 µs</dd>" in page
    assert "<dt>command</dt>" in page and "<dt>started</dt>" in page
    assert "parameter " not in page
