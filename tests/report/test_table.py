from rich.console import Console
from rtvirt.report.table import comparison_rows, format_us, html_table, rich_table


def test_format_us_is_whole_truncated_us_as_cyclictest():
    assert format_us(12_345) == "12" and format_us(333_971) == "333"
    assert format_us(4_063_400) == "4063"
    assert format_us(None) == "–"


def test_rows_cover_every_cpu_of_every_run_in_order(make_run, make_cpu):
    runs = [make_run("idle"), make_run("stress", cpus=[make_cpu(1), make_cpu(2), make_cpu(3)])]
    rows = comparison_rows(runs)
    assert [(cells[0], cells[1]) for _, _, cells in rows] == [
        ("idle", "0"), ("idle", "1"), ("stress", "1"), ("stress", "2"), ("stress", "3")]
    assert rows[0][2][2:] == ("1", "2", "2", "3", "0")


def test_rich_table_labels_emulated_runs(make_run):
    console = Console(width=120, record=True)
    console.print(rich_table([make_run(emulated=True)]))
    text = console.export_text()
    assert "emulated (TCG)" in text
    assert "P99.9 µs" in text


def test_html_table_marks_worst_max_and_missed(make_run, make_cpu):
    runs = [make_run(cpus=[make_cpu(0), make_cpu(1, max_ns=4_000_000, missed=2)])]
    fragment = html_table(runs)
    assert fragment.count('class="worst"') == 1
    assert '<td class="worst">4000</td>' in fragment
    assert '<td class="missed">2</td>' in fragment


def test_html_table_escapes_labels(make_run):
    fragment = html_table([make_run("<script>x</script>")])
    assert "<script>" not in fragment
    assert "&lt;script&gt;" in fragment


def test_html_table_spans_each_run_over_its_cpus_and_links_to_it(make_run, make_cpu):
    runs = [make_run("idle", cpus=[make_cpu(n) for n in range(4)]), make_run("stress")]
    fragment = html_table(runs)
    assert fragment.count("<tr>") == 1 + 4 + 2
    assert f'<td rowspan="4"><a href="#{runs[0].result_id}">idle</a></td>' in fragment
    assert f'<td rowspan="2"><a href="#{runs[1].result_id}">stress</a></td>' in fragment
