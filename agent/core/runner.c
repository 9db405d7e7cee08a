/* runner.c - start the measuring threads, supervise them, collect their figures.
 *
 * The main thread waits in sigtimedwait() for SIGINT/SIGTERM (stop), SIG_THREAD_DONE (a
 * thread ended) or its next tick (progress snapshot, live cyclictest display).
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cpulist.h"
#include "output_text.h"
#include "percentile.h"
#include "progress.h"
#include "result_format.h"
#include "rtsetup.h"
#include "runner.h"

#define THREAD_STACK_SIZE (256 * 1024)
#define DISPLAY_TICK_MS 100
#define WAKE_REPEAT_MS 10

/* thread_count - -t N, or one thread per CPU of the -a list / the allowed CPUs */
static int thread_count(const struct measure_opts *o, const cpu_set_t *allowed)
{
	if (o->threads > 0)
		return o->threads;
	if (o->affinity == AFFINITY_LIST)
		return CPU_COUNT(&o->affinity_set);
	return CPU_COUNT(allowed);
}

/* thread_cpu - CPU of thread i: round robin over the -a list or the allowed CPUs */
static int thread_cpu(const struct measure_opts *o, const cpu_set_t *allowed, int i)
{
	if (o->affinity == AFFINITY_LIST)
		return cpulist_nth(&o->affinity_set, i);
	if (o->affinity == AFFINITY_ALL)
		return cpulist_nth(allowed, i);
	return -1;
}

/* base_priority - -p; with --priospread and no -p, threads + 1 as cyclictest does */
static int base_priority(const struct measure_opts *o, int nthreads)
{
	if (o->priospread && !o->priority)
		return nthreads + 1 < 99 ? nthreads + 1 : 99;
	return o->priority;
}

/* run_prepare - allocate the threads and their histograms; -1 with err on ENOMEM */
int run_prepare(struct run *r, const cpu_set_t *allowed, char *err, size_t size)
{
	const struct measure_opts *o = r->opts;

	r->hist_us = o->histogram_us ? o->histogram_us : DEFAULT_HIST_US;
	r->nthreads = thread_count(o, allowed);
	if (r->nthreads <= 0) {
		snprintf(err, size, "no CPU available to run on");
		return -1;
	}
	r->priority = base_priority(o, r->nthreads);
	r->policy = r->priority > 0 ? SCHED_FIFO : SCHED_OTHER;
	r->brk.threshold_ns = (uint64_t)o->break_us * 1000u;
	r->threads = calloc((size_t)r->nthreads, sizeof(*r->threads));
	if (!r->threads) {
		snprintf(err, size, "out of memory for %d threads", r->nthreads);
		return -1;
	}
	for (int i = 0; i < r->nthreads; i++) {
		struct measure_thread *t = &r->threads[i];

		t->index = i;
		t->cpu = thread_cpu(o, allowed, i);
		t->priority = o->priospread && r->priority > i ? r->priority - i
			: o->priospread ? 0 : r->priority;
		t->policy = t->priority > 0 ? SCHED_FIFO : SCHED_OTHER;
		t->brk = o->break_us ? &r->brk : NULL;
		/* cyclictest: threads are spread by -d, except with -h (same interval for all) */
		t->interval_us = o->interval_us +
			(o->histogram_us ? 0 : (uint32_t)i * o->distance_us);
		t->loops = o->loops;
		t->duration_ns = o->duration_s * 1000000000ull;
		t->finished = &r->finished;
		t->st.min_ns = UINT64_MAX;
		if (hist_init(&t->hist, r->hist_us, HIST_BUCKET_NS) ||
		    overflow_init(&t->over, o->overflow_cap)) {
			snprintf(err, size, "out of memory for the histograms of %d threads",
				 r->nthreads);
			return -1;
		}
	}
	return 0;
}

/* thread_attr - pthread attributes: small stack, explicit policy/priority, affinity */
static int thread_attr(pthread_attr_t *attr, const struct measure_thread *t)
{
	struct sched_param sp = { .sched_priority = t->priority };
	size_t stack = THREAD_STACK_SIZE < PTHREAD_STACK_MIN ? PTHREAD_STACK_MIN
		: THREAD_STACK_SIZE;

	pthread_attr_init(attr);
	pthread_attr_setstacksize(attr, stack);
	pthread_attr_setinheritsched(attr, PTHREAD_EXPLICIT_SCHED);
	pthread_attr_setschedpolicy(attr, t->policy);
	pthread_attr_setschedparam(attr, &sp);
	if (t->cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(t->cpu, &set);
		return pthread_attr_setaffinity_np(attr, sizeof(set), &set);
	}
	return 0;
}

/* run_start - start every measuring thread; on refusal stop the started ones, -1 with err */
int run_start(struct run *r, char *err, size_t size)
{
	pthread_t self = pthread_self();

	r->start_realtime_ns = realtime_ns();
	r->start_monotonic_ns = mono_ns();
	for (int i = 0; i < r->nthreads; i++) {
		struct measure_thread *t = &r->threads[i];
		pthread_attr_t attr;
		int e;

		t->main_thread = self;
		t->epoch_ns = r->start_monotonic_ns;
		e = thread_attr(&attr, t);
		if (!e)
			e = pthread_create(&t->handle, &attr, measure_thread_main, t);
		pthread_attr_destroy(&attr);
		if (e) {
			rt_sched_refused(e, t->policy, t->priority, t->cpu, err, size);
			stop_request();
			run_finish(r);
			return -1;
		}
		t->started = 1;
	}
	return 0;
}

/* ms_to_ns - milliseconds to nanoseconds */
static uint64_t ms_to_ns(uint32_t ms)
{
	return (uint64_t)ms * 1000000u;
}

/* wake_threads - interrupt the sleeping threads so they see the stop request */
static void wake_threads(struct run *r)
{
	for (int i = 0; i < r->nthreads; i++)
		if (r->threads[i].started)
			pthread_kill(r->threads[i].handle, SIG_WAKE);
}

/* run_supervise - wait for the threads to end or a signal, feeding progress and display */
void run_supervise(struct run *r, const sigset_t *waitset)
{
	const struct measure_opts *o = r->opts;
	int live = !o->quiet;
	uint64_t tick = o->progress_fd >= 0 ? ms_to_ns(o->progress_ms) : 0;
	uint64_t next_tick, next_wake = UINT64_MAX, now;
	struct progress prog;

	if (live && (!tick || tick > ms_to_ns(DISPLAY_TICK_MS)))
		tick = ms_to_ns(DISPLAY_TICK_MS);
	if (!tick)
		tick = ms_to_ns(1000);	/* nothing to show: only a safety net */
	if (r->stream.map && tick > ms_to_ns(DISPLAY_TICK_MS))
		tick = ms_to_ns(DISPLAY_TICK_MS);	/* the host watches the heartbeat */
	progress_init(&prog, o->progress_fd);
	progress_start(&prog, r);
	next_tick = mono_ns() + tick;
	while (__atomic_load_n(&r->finished, __ATOMIC_ACQUIRE) < r->nthreads) {
		uint64_t until;
		struct timespec ts;
		int sig;

		if (stop_requested() && next_wake == UINT64_MAX)
			next_wake = 0;	/* a thread ended the run (-l, -b): wake the others */
		now = mono_ns();
		if (now >= next_wake) {
			/* again: a thread may have been between its stop check and its sleep */
			wake_threads(r);
			next_wake = now + ms_to_ns(WAKE_REPEAT_MS);
		}
		if (now >= next_tick) {
			ivshmem_beat(&r->stream);
			progress_snapshot(&prog, r, now);
			if (live)
				text_live(r->text, r);
			next_tick = now + tick;
		}
		until = next_tick < next_wake ? next_tick : next_wake;
		ts.tv_sec = (time_t)((until - now) / 1000000000u);
		ts.tv_nsec = (long)((until - now) % 1000000000u);
		sig = sigtimedwait(waitset, NULL, &ts);
		if ((sig == SIGINT || sig == SIGTERM) && !stop_requested()) {
			r->stop_reason = RESULT_STOP_SIGNAL;
			stop_request();
			next_wake = 0;
		}
	}
	progress_snapshot(&prog, r, mono_ns());
}

/* run_finish - join the threads, note the duration, compute the percentiles */
void run_finish(struct run *r)
{
	for (int i = 0; i < r->nthreads; i++) {
		struct measure_thread *t = &r->threads[i];

		if (!t->started)
			continue;
		pthread_join(t->handle, NULL);
		t->started = 0;
		if (t->error && r->stop_reason == RESULT_STOP_COMPLETED)
			r->stop_reason = RESULT_STOP_ERROR;
		if (t->st.cycles == 0)
			continue;
		t->p50_ns = latency_percentile(&t->hist, &t->over, t->st.max_ns, PPM_P50);
		t->p99_ns = latency_percentile(&t->hist, &t->over, t->st.max_ns, PPM_P99);
		t->p99_9_ns = latency_percentile(&t->hist, &t->over, t->st.max_ns, PPM_P99_9);
		t->p99_99_ns = latency_percentile(&t->hist, &t->over, t->st.max_ns, PPM_P99_99);
	}
	r->duration_ns = mono_ns() - r->start_monotonic_ns;
	if (__atomic_load_n(&r->brk.hit, __ATOMIC_ACQUIRE) && r->stop_reason == RESULT_STOP_COMPLETED)
		r->stop_reason = RESULT_STOP_BREAK;
}

/* run_free - release the threads' memory; mark the sample stream finished */
void run_free(struct run *r)
{
	ivshmem_close(&r->stream);
	for (int i = 0; r->threads && i < r->nthreads; i++) {
		hist_free(&r->threads[i].hist);
		overflow_free(&r->threads[i].over);
	}
	free(r->threads);
	r->threads = NULL;
}
