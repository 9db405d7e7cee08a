/* main.c - rtvirt-measure: parse, set up, measure, report. Exit status: 0 done, 1 runtime
 * failure, 2 usage error, 3 real-time setup refused (docs/result-format.md, DESIGN §3). */
#include <stdio.h>
#include <string.h>

#include "cpulist.h"
#include "output_cyclictest.h"
#include "output_json.h"
#include "output_text.h"
#include "progress.h"
#include "result_format.h"
#include "result_writer.h"
#include "rtsetup.h"
#include "run.h"
#include "runner.h"
#include "strutil.h"

enum exit_status { EXIT_DONE = 0, EXIT_RUNTIME = 1, EXIT_USAGE = 2, EXIT_RT_SETUP = 3 };

/* join_command - argv joined by spaces into out (cut if too long), valid UTF-8 */
static void join_command(int argc, char **argv, char *out, size_t size)
{
	size_t len = 0;

	out[0] = '\0';
	for (int i = 0; i < argc && len + 1 < size; i++) {
		int n = snprintf(out + len, size - len, "%s%s", i ? " " : "", argv[i]);

		if (n < 0)
			break;
		len += (size_t)n < size - len ? (size_t)n : size - len - 1;
	}
	utf8_sanitize(out);
}

/* sanitize_labels - label values come from argv: make them valid UTF-8 in place */
static void sanitize_labels(struct measure_opts *o)
{
	for (int i = 0; i < o->nlabels; i++)
		utf8_sanitize((char *)o->labels[i].value);
}

/* open_stream - --ivshmem: one sample ring per measuring thread; 0 or -1 with err */
static int open_stream(struct run *r, char *err, size_t size)
{
	int cpus[MAX_THREADS];

	for (int i = 0; i < r->nthreads; i++)
		cpus[i] = r->threads[i].cpu;
	if (ivshmem_open(&r->stream, r->opts->ivshmem_path, cpus, r->nthreads,
			 r->opts->ivshmem_slots, err, size))
		return -1;
	for (int i = 0; i < r->nthreads; i++)
		r->threads[i].ring = &r->stream.rings[i];
	return 0;
}

/* setup - everything before the threads start; an exit status, EXIT_DONE to go on */
static int setup(struct run *r, char *err, size_t size)
{
	cpu_set_t allowed;

	if (rt_allowed_cpus(r->opts, &allowed, err, size))
		return EXIT_RT_SETUP;
	if (r->opts->mlockall && rt_lock_memory(err, size))
		return EXIT_RT_SETUP;
	if (run_prepare(r, &allowed, err, size))
		return EXIT_RUNTIME;
	if (r->opts->ivshmem_path && open_stream(r, err, size))
		return EXIT_USAGE;
	sysinfo_snapshot(&r->sys);
	return EXIT_DONE;
}

/* write_outputs - text summary, --json, --result-json, --result; EXIT_RUNTIME if a file failed */
static int write_outputs(struct run *r)
{
	char err[512];
	int status = EXIT_DONE;

	text_final(r->text, r);
	if (r->opts->json_path &&
	    cyclictest_json_write(r, r->opts->json_path, err, sizeof(err))) {
		fprintf(stderr, "rtvirt-measure: --json: %s\n", err);
		status = EXIT_RUNTIME;
	}
	if (r->opts->result_json_path &&
	    json_write(r, r->opts->result_json_path, err, sizeof(err))) {
		fprintf(stderr, "rtvirt-measure: --result-json: %s\n", err);
		status = EXIT_RUNTIME;
	}
	if (r->opts->result_path && result_write(r, r->opts->result_path, err, sizeof(err))) {
		fprintf(stderr, "rtvirt-measure: --result: %s\n", err);
		status = EXIT_RUNTIME;
	}
	return status;
}

/* main - rtvirt-measure entry point */
int main(int argc, char **argv)
{
	struct measure_opts opts;
	struct run run;
	char err[512];
	sigset_t waitset;
	int status;

	if (options_parse(argc, argv, &opts, err, sizeof(err))) {
		fprintf(stderr, "rtvirt-measure: %s\n", err);
		return EXIT_USAGE;
	}
	if (opts.help || opts.version) {
		if (opts.help)
			options_usage(argv[0]);
		else
			puts(TOOL_VERSION);
		return EXIT_DONE;
	}
	sanitize_labels(&opts);
	memset(&run, 0, sizeof(run));
	run.opts = &opts;
	run.text = opts.result_path && !strcmp(opts.result_path, "-") ? stderr : stdout;
	if ((opts.json_path && !strcmp(opts.json_path, "-")) ||
	    (opts.result_json_path && !strcmp(opts.result_json_path, "-")))
		run.text = stderr;
	join_command(argc, argv, run.command, sizeof(run.command));
	rt_signals_setup(&waitset);
	rt_die_with_parent(opts.parent_pid);

	status = setup(&run, err, sizeof(err));
	if (status == EXIT_DONE) {
		if (opts.no_pm_qos)
			pmqos_skip(&run.qos, "not requested (--no-pm-qos)");
		else
			pmqos_hold(&run.qos, 0);
		text_header(run.text, &run);
		if (run_start(&run, err, sizeof(err)))
			status = EXIT_RT_SETUP;
	}
	if (status != EXIT_DONE) {
		pmqos_release(&run.qos);
		fprintf(stderr, "rtvirt-measure: %s\n", err);
		run_free(&run);
		return status;
	}
	run_supervise(&run, &waitset);
	run_finish(&run);
	pmqos_release(&run.qos);
	status = write_outputs(&run);
	if (run.stop_reason == RESULT_STOP_ERROR) {
		fprintf(stderr, "rtvirt-measure: a measuring thread failed (clock error)\n");
		status = EXIT_RUNTIME;
	}
	progress_done(opts.progress_fd, &run, status);
	run_free(&run);
	return status;
}
