/* output_text.c - cyclictest's text output: header, T: lines, live display, histogram.
 *
 * Widths and layout are those of cyclictest 2.x (rt-tests 2.4), so scripts that read
 * cyclictest's output read this too. Values are in us, truncated from the ns measured.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "output_text.h"
#include "run.h"

#define CYCLICTEST_MIN_UNSET 1000000	/* what cyclictest shows as Min before the first cycle */

/* text_header - cyclictest's PM QoS line (stdout), or the warning why it is not held */
void text_header(FILE *f, const struct run *r)
{
	if (r->qos.held)
		fprintf(f, "# /dev/cpu_dma_latency set to %dus\n", (int)r->qos.value_us);
	else
		fprintf(stderr, "WARN: %s (PM QoS not held; recorded in the result)\n",
			r->qos.error);
	fflush(f);
}

/* t_line - one "T:" line from a thread's figures */
static void t_line(FILE *f, const struct run *r, int i, const struct thread_stats *s, pid_t tid)
{
	const struct measure_thread *t = &r->threads[i];
	long min = s->cycles ? (long)(s->min_ns / 1000) : CYCLICTEST_MIN_UNSET;
	long avg = s->cycles ? (long)(s->sum_us / s->cycles) : 0;

	fprintf(f, "T:%2d (%5d) P:%2d I:%ld C:%7lu Min:%7ld Act:%5ld Avg:%5ld Max:%8ld\n",
		i, (int)tid, t->priority, (long)t->interval_us, (unsigned long)s->cycles, min,
		(long)(s->act_ns / 1000), avg, (long)(s->max_ns / 1000));
}

/* t_lines - the T: lines of every thread */
static void t_lines(FILE *f, const struct run *r)
{
	for (int i = 0; i < r->nthreads; i++) {
		struct thread_stats s;
		pid_t tid;

		stats_snapshot(&r->threads[i], &s, &tid);
		t_line(f, r, i, &s, tid);
	}
}

/* loadavg - /proc/loadavg without its newline ("" if unreadable) */
static void loadavg(char *out, size_t size)
{
	int fd = open("/proc/loadavg", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, out, size - 1) : -1;

	if (fd >= 0)
		close(fd);
	out[n > 0 ? n : 0] = '\0';
	out[strcspn(out, "\n")] = '\0';
}

/* text_live - cyclictest's refreshing display: policy/loadavg line, blank line, T: lines */
void text_live(FILE *f, struct run *r)
{
	char lavg[256];

	if (r->live_frames++)
		fprintf(f, "\033[%dA", r->nthreads + 2);
	loadavg(lavg, sizeof(lavg));
	fprintf(f, "policy: %s: loadavg: %s          \n\n",
		r->policy == SCHED_FIFO ? "fifo" : "other", lavg);
	t_lines(f, r);
	fflush(f);
}

/* text_histogram - cyclictest's -h dump: buckets, totals, min/avg/max, overflows */
static void text_histogram(FILE *f, const struct run *r)
{
	fprintf(f, "# Histogram\n");
	for (uint32_t b = 0; b < r->hist_us; b++) {
		fprintf(f, "%06u ", b);
		for (int i = 0; i < r->nthreads; i++)
			fprintf(f, "%06" PRIu64 "%s", r->threads[i].hist.counts[b],
				i < r->nthreads - 1 ? "\t" : "");
		fputc('\n', f);
	}
	fprintf(f, "# Total:");
	for (int i = 0; i < r->nthreads; i++)
		fprintf(f, " %09" PRIu64, hist_total(&r->threads[i].hist));
	fprintf(f, "\n# Min Latencies:");
	for (int i = 0; i < r->nthreads; i++) {
		const struct thread_stats *s = &r->threads[i].st;

		fprintf(f, " %05lu", s->cycles ? (unsigned long)(s->min_ns / 1000)
			: (unsigned long)CYCLICTEST_MIN_UNSET);
	}
	fprintf(f, "\n# Avg Latencies:");
	for (int i = 0; i < r->nthreads; i++) {
		const struct thread_stats *s = &r->threads[i].st;

		fprintf(f, " %05lu", s->cycles ? (unsigned long)(s->sum_us / s->cycles) : 0ul);
	}
	fprintf(f, "\n# Max Latencies:");
	for (int i = 0; i < r->nthreads; i++)
		fprintf(f, " %05lu", (unsigned long)(r->threads[i].st.max_ns / 1000));
	fprintf(f, "\n# Histogram Overflows:");
	for (int i = 0; i < r->nthreads; i++)
		fprintf(f, " %05lu", (unsigned long)r->threads[i].over.total);
	fprintf(f, "\n# Histogram Overflow at cycle number:\n");
	for (int i = 0; i < r->nthreads; i++) {
		const struct overflow_list *o = &r->threads[i].over;
		uint32_t shown = o->count < r->hist_us ? o->count : r->hist_us;

		fprintf(f, "# Thread %d:", i);
		for (uint32_t k = 0; k < shown; k++)
			fprintf(f, " %05lu", (unsigned long)o->samples[k].cycle);
		if (shown < o->total)
			fprintf(f, " # %05lu others", (unsigned long)(o->total - shown));
		fputc('\n', f);
	}
	fputc('\n', f);
}

/* text_break - -b fired: cyclictest's thread-id and break lines, plus the cycle */
static void text_break(FILE *f, const struct run *r)
{
	const struct measure_thread *b = &r->threads[r->brk.thread];

	fputs("# Thread Ids:", f);
	for (int i = 0; i < r->nthreads; i++)
		fprintf(f, " %05d", (int)r->threads[i].tid);
	fprintf(f, "\n# Break thread: %d\n# Break value: %" PRIu64 "\n"
		"# Break cycle: %" PRIu64 " (T:%d)\n", (int)b->tid, r->brk.value_ns / 1000,
		r->brk.cycle, r->brk.thread);
}

/* text_final - after the run: T: lines with -q, a last display frame, or the histogram */
void text_final(FILE *f, struct run *r)
{
	if (!r->opts->quiet)
		text_live(f, r);
	else if (!r->opts->histogram_us)
		t_lines(f, r);
	if (r->opts->histogram_us)
		text_histogram(f, r);
	if (r->brk.hit)
		text_break(f, r);
	fflush(f);
}
