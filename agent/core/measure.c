/* measure.c - one measuring thread: the cyclictest timing loop, and the run's stop flag.
 *
 * Same loop as cyclictest: sleep with clock_nanosleep(TIMER_ABSTIME) on CLOCK_MONOTONIC to the
 * next period start, read the clock, latency = now - period start; then advance by one interval,
 * and as long as the wakeup already lies beyond it, skip whole periods — which cyclictest does
 * silently and this loop counts as missed periods.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "measure.h"

#define NSEC_PER_SEC 1000000000ull

static atomic_int stop_flag;	/* the only mutable global: set by the main thread on SIGINT/SIGTERM */

/* stop_request - ask every measuring thread to end after its current cycle */
void stop_request(void)
{
	atomic_store(&stop_flag, 1);
}

/* stop_requested - whether a stop was requested */
int stop_requested(void)
{
	return atomic_load_explicit(&stop_flag, memory_order_relaxed);
}

/* mono_ns - CLOCK_MONOTONIC in ns */
uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

/* realtime_ns - CLOCK_REALTIME in ns since the epoch */
uint64_t realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

/* publish - store a live figure so the main thread can read it while the thread runs */
static inline void publish(uint64_t *field, uint64_t value)
{
	__atomic_store_n(field, value, __ATOMIC_RELAXED);
}

/* fetch - read a live figure published by a measuring thread */
static inline uint64_t fetch(const uint64_t *field)
{
	return __atomic_load_n(field, __ATOMIC_RELAXED);
}

/* stats_snapshot - copy a thread's live figures (each field consistent, the set nearly so) */
void stats_snapshot(const struct measure_thread *t, struct thread_stats *out, pid_t *tid)
{
	out->cycles = fetch(&t->st.cycles);
	out->min_ns = fetch(&t->st.min_ns);
	out->max_ns = fetch(&t->st.max_ns);
	out->act_ns = fetch(&t->st.act_ns);
	out->sum_ns = fetch(&t->st.sum_ns);
	out->sum_us = fetch(&t->st.sum_us);
	out->missed = fetch(&t->st.missed);
	out->overflows = fetch(&t->st.overflows);
	*tid = __atomic_load_n(&t->tid, __ATOMIC_RELAXED);
}

/* record - account one latency in the live figures, the histogram or the overflow list */
static inline void record(struct measure_thread *t, struct thread_stats *s, uint64_t lat,
			  uint64_t now)
{
	if (lat < s->min_ns) {
		s->min_ns = lat;
		publish(&t->st.min_ns, lat);
	}
	if (lat > s->max_ns) {
		s->max_ns = lat;
		publish(&t->st.max_ns, lat);
	}
	s->sum_ns += lat;
	s->sum_us += lat / 1000;
	if (hist_add(&t->hist, lat)) {
		overflow_add(&t->over, lat, now - t->epoch_ns, s->cycles);
		publish(&t->st.overflows, t->over.total);
	}
	publish(&t->st.act_ns, lat);
	publish(&t->st.sum_ns, s->sum_ns);
	publish(&t->st.sum_us, s->sum_us);
	publish(&t->st.cycles, ++s->cycles);
}

/* break_check - -b: claim the break for this latency if none was claimed; 1 to stop */
static int break_check(struct measure_thread *t, uint64_t lat, uint64_t cycle)
{
	int none = 0;

	if (!t->brk || lat <= t->brk->threshold_ns)
		return 0;
	if (__atomic_compare_exchange_n(&t->brk->hit, &none, 1, 0, __ATOMIC_ACQ_REL,
					__ATOMIC_ACQUIRE)) {
		t->brk->thread = t->index;
		t->brk->cycle = cycle;
		t->brk->value_ns = lat;
	}
	stop_request();
	return 1;
}

/* measure_loop - run cycles until the loop count, the duration or a stop request ends it */
static void measure_loop(struct measure_thread *t)
{
	const uint64_t interval = (uint64_t)t->interval_us * 1000;
	struct thread_stats s = { .min_ns = UINT64_MAX };
	uint64_t now = mono_ns();
	uint64_t next = now + interval;
	const uint64_t stop_at = t->duration_ns ? now + t->duration_ns : UINT64_MAX;
	struct timespec ts;

	while (!stop_requested()) {
		uint64_t lat;
		int err;

		ts.tv_sec = (time_t)(next / NSEC_PER_SEC);
		ts.tv_nsec = (long)(next % NSEC_PER_SEC);
		err = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
		if (err == EINTR)
			continue;
		if (err) {
			t->error = err;
			break;
		}
		now = mono_ns();
		lat = now > next ? now - next : 0;
		record(t, &s, lat, now);
		if (t->ring)
			ivshmem_push(t->ring, s.cycles - 1, now, lat,
				     (uint32_t)(t->cpu >= 0 ? t->cpu : sched_getcpu()));
		next += interval;
		if (now > next) {
			uint64_t skipped = (now - next + interval - 1) / interval;

			next += skipped * interval;
			s.missed += skipped;
			publish(&t->st.missed, s.missed);
		}
		if (break_check(t, lat, s.cycles - 1) || now >= stop_at)
			break;
		if (t->loops && s.cycles >= t->loops) {
			stop_request();	/* cyclictest: the first thread done ends the run */
			break;
		}
	}
}

/* measure_thread_main - pthread entry: measure, then tell the main thread this one ended */
void *measure_thread_main(void *arg)
{
	struct measure_thread *t = arg;
	sigset_t wake;

	__atomic_store_n(&t->tid, (pid_t)syscall(SYS_gettid), __ATOMIC_RELAXED);
	sigemptyset(&wake);
	sigaddset(&wake, SIG_WAKE);
	pthread_sigmask(SIG_UNBLOCK, &wake, NULL);
	measure_loop(t);
	__atomic_add_fetch(t->finished, 1, __ATOMIC_RELEASE);
	pthread_kill(t->main_thread, SIG_THREAD_DONE);
	return NULL;
}
