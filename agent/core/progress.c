/* progress.c - --progress-fd: key=value snapshot lines for the agent's live view.
 *
 * Lines (docs/result-format.md, parsed by rtvirt_agent.progress):
 *   start pid=.. threads=.. policy=fifo priority=.. pm_qos=0|1 hist_us=..
 *   thread seq=.. t=.. cpu=.. tid=.. cycles=.. min_ns=.. act_ns=.. avg_ns=.. max_ns=..
 *          missed=.. overflows=.. elapsed_ns=..          (one per thread per snapshot)
 *   done reason=completed|signal|error status=..
 * Each line is written whole with one write(); a reader that goes away ends the progress
 * output, not the measurement.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <unistd.h>

#include "progress.h"
#include "result_format.h"
#include "run.h"

/* put_line - write one line in one write(); on a broken reader disable progress */
static void put_line(struct progress *p, const char *line, int len)
{
	ssize_t n;

	if (p->fd < 0 || len <= 0)
		return;
	do
		n = write(p->fd, line, (size_t)len);
	while (n < 0 && errno == EINTR);
	if (n != len)
		p->fd = -1;
}

/* progress_init - remember the descriptor (-1 disables) */
void progress_init(struct progress *p, int fd)
{
	p->fd = fd;
	p->seq = 0;
}

/* progress_start - the line that says the threads are running */
void progress_start(struct progress *p, const struct run *r)
{
	char line[256];
	int n = snprintf(line, sizeof(line),
			 "start pid=%ld threads=%d policy=%s priority=%d pm_qos=%d hist_us=%u\n",
			 (long)getpid(), r->nthreads, r->policy == SCHED_FIFO ? "fifo" : "other",
			 r->priority, r->qos.held, r->hist_us);

	put_line(p, line, n);
}

/* progress_snapshot - one "thread" line per thread with its live figures */
void progress_snapshot(struct progress *p, const struct run *r, uint64_t now_ns)
{
	if (p->fd < 0)
		return;
	p->seq++;
	for (int i = 0; i < r->nthreads; i++) {
		struct thread_stats s;
		pid_t tid;
		char line[512];
		int n;

		stats_snapshot(&r->threads[i], &s, &tid);
		n = snprintf(line, sizeof(line),
			     "thread seq=%" PRIu64 " t=%d cpu=%d tid=%ld cycles=%" PRIu64
			     " min_ns=%" PRIu64 " act_ns=%" PRIu64 " avg_ns=%" PRIu64
			     " max_ns=%" PRIu64 " missed=%" PRIu64 " overflows=%" PRIu64
			     " elapsed_ns=%" PRIu64 "\n",
			     p->seq, i, r->threads[i].cpu, (long)tid, s.cycles,
			     s.cycles ? s.min_ns : 0, s.act_ns, s.cycles ? s.sum_ns / s.cycles : 0,
			     s.max_ns, s.missed, s.overflows, now_ns - r->start_monotonic_ns);
		put_line(p, line, n);
	}
}

/* progress_done - the last line, after the result files are written */
void progress_done(int fd, const struct run *r, int status)
{
	static const char *const reasons[] = { "completed", "signal", "error", "break" };
	struct progress p = { .fd = fd };
	char line[128];
	int n = snprintf(line, sizeof(line), "done reason=%s status=%d\n",
			 reasons[r->stop_reason], status);

	put_line(&p, line, n);
}
