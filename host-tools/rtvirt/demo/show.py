"""What ``rtvirt demo`` shows: each scenario live while it runs, then the comparison tables and
the HTML report."""

import time

from rtvirt.demo.technologies import comparison, html_comparison
from rtvirt.demo.technologies import print_comparison as print_technologies
from rtvirt.live import MeasureView, showing
from rtvirt.report.html import default_output, write_report
from rtvirt.report.table import print_comparison


def run_scenarios(console, runner, scenarios, duration_s, emulated):
    """Each scenario under a live view, then its final figures and notes; the outcomes."""
    outcomes = []
    for number, scenario in enumerate(scenarios, start=1):
        view = MeasureView(f"[{number}/{len(scenarios)}] {scenario.name}: {scenario.summary}",
                           duration_s, emulated=emulated)
        several = len(scenario.measurements) > 1

        def on_event(measurement, event, view=view, several=several):
            view.update(event, measurement.where if several else None)

        started = time.monotonic()
        with showing(view, console):
            outcome = runner.run(scenario, duration_s, on_event=on_event)
        heading = view.heading()
        heading.append(f"  ({time.monotonic() - started:.1f} s with result transfer)", style="dim")
        console.print(heading)
        if view.threads:
            console.print(view.table())
        if outcome.error:
            console.print(f"[red]{scenario.name} did not run:[/] {outcome.error}")
        for note in outcome.notes:
            console.print(f"  {note}")
        outcomes.append(outcome)
        if runner.cancelled.is_set():
            console.print(f"[yellow]interrupted: {len(scenarios) - number} scenario(s) not "
                          "run[/]")
            break
    return outcomes


def summarize(console, title, outcomes, output, emulated):
    """The latency table, the technology comparison, the HTML report (its path printed) and
    what did not run."""
    runs = [run for outcome in outcomes for run in outcome.runs]
    print_comparison(console, runs, title=title)
    technologies = comparison(outcomes)
    console.file.flush()
    print_technologies(technologies, emulated)
    notes = {run.result_id: [outcome.scenario.summary, *outcome.notes]
             for outcome in outcomes for run in outcome.runs}
    index = write_report(runs, output or default_output("demo"), notes=notes,
                         title=f"rtvirt demo: {title}",
                         sections=[("The seed's comparison of technologies",
                                    html_comparison(technologies))])
    print(f"report: {index}")  # unwrapped, whatever the terminal width
    failed = [outcome.scenario.name for outcome in outcomes if not outcome.runs]
    if failed:
        console.print(f"[yellow]{len(failed)} of {len(outcomes)} scenario(s) gave no result: "
                      f"{', '.join(failed)}[/]")


def print_listing(console, groups):
    """``rtvirt demo --list``: every scenario name with its one-line description, by group."""
    width = max(len(name) for _, _, scenarios in groups for name, _ in scenarios)
    for group, text, scenarios in groups:
        console.print(f"[bold]{group}[/] — {text}", highlight=False)
        for name, summary in scenarios:
            console.print(f"  {name:<{width}}  {summary}", highlight=False, soft_wrap=True)
    console.print("Settings as on hardware, for a 4-CPU target; under emulation (QEMU TCG) "
                  "blocks and histograms are scaled, and the descriptions say so.",
                  highlight=False)
