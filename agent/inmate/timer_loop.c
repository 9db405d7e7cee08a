/* timer_loop.c - cyclictest's loop on bare metal (docs/inmate.md).
 *
 * Each period start is programmed as an absolute compare value of the virtual timer
 * (CNTV_CVAL_EL0); its interrupt handler reads the counter, latency = now - period start, then
 * advances by one interval and, as long as the wakeup already lies beyond it, skips whole
 * periods and counts them as missed, like the core's measure.c. The main loop sleeps in wfi
 * and keeps the heartbeats going.
 */
#include <inmate.h>
#include <gic.h>

#include "../core/histogram.h"
#include "../core/overflow.h"
#include "timer_loop.h"

#define NSEC_PER_SEC 1000000000ull
#define BEAT_NS 50000000ull	/* heartbeats every 50 ms (docs/ivshmem.md asks for 100 ms) */

struct timer_state {
	struct measure_thread *t;
	uint64_t period;	/* ticks */
	uint64_t next;		/* counter value of the next period start */
	uint64_t start;
	uint64_t loops;
	volatile int done;
};

static struct timer_state *active;	/* the run the interrupt handler serves */

uint64_t ticks_now(void)
{
	uint64_t ticks;

	asm volatile("isb; mrs %0, cntvct_el0" : "=r"(ticks));
	return ticks;
}

uint64_t ticks_to_ns(uint64_t ticks)
{
	uint64_t hz = timer_get_frequency();

	return ticks / hz * NSEC_PER_SEC + ticks % hz * NSEC_PER_SEC / hz;
}

static void timer_arm(uint64_t at)
{
	asm volatile("msr cntv_cval_el0, %0; msr cntv_ctl_el0, %1; isb"
		     : : "r"(at), "r"(1ull) : "memory");
}

static void timer_disarm(void)
{
	asm volatile("msr cntv_ctl_el0, %0; isb" : : "r"(0ull) : "memory");
}

/* record - account one latency, as the core does: live figures, histogram or overflow list */
static void record(struct measure_thread *t, uint64_t lat, uint64_t since_start)
{
	struct thread_stats *s = &t->st;

	if (lat < s->min_ns)
		s->min_ns = lat;
	if (lat > s->max_ns)
		s->max_ns = lat;
	s->act_ns = lat;
	s->sum_ns += lat;
	s->sum_us += lat / 1000;
	if (hist_add(&t->hist, lat))
		overflow_add(&t->over, lat, since_start, s->cycles);
	s->overflows = t->over.total;
	s->cycles++;
}

/* timer_irq - the wakeup: measure, stream the sample, program the next period */
void timer_irq(unsigned int irq)
{
	struct timer_state *ts = active;
	uint64_t now = ticks_now(), lat;
	struct measure_thread *t;

	if (irq != TIMER_IRQ)
		return;
	if (!ts) {		/* the end of an idle_wait */
		timer_disarm();
		return;
	}
	t = ts->t;
	lat = ticks_to_ns(now > ts->next ? now - ts->next : 0);
	record(t, lat, ticks_to_ns(now - ts->start));
	ivshmem_push(t->ring, t->st.cycles - 1, ticks_to_ns(now), lat, (uint32_t)t->cpu);
	ts->next += ts->period;
	if (now > ts->next) {
		uint64_t skipped = (now - ts->next + ts->period - 1) / ts->period;

		ts->next += skipped * ts->period;
		t->st.missed += skipped;
	}
	if (t->st.cycles >= ts->loops) {
		timer_disarm();
		ts->done = 1;
		return;
	}
	timer_arm(ts->next);
}

/* idle_wait - sleep in wfi for about us microseconds: the CPU idles instead of spinning */
void idle_wait(uint32_t us)
{
	uint64_t until = ticks_now() + (uint64_t)us * timer_get_frequency() / 1000000u;

	timer_arm(until);
	while (ticks_now() < until)
		asm volatile("wfi" : : : "memory");
}

/* timer_measure - run loops cycles of t->interval_us, keeping the heartbeats going; returns
 * the run's duration in ns and sets t->epoch_ns to its start */
uint64_t timer_measure(struct measure_thread *t, struct link *l, struct ivshmem_stream *s,
		       uint64_t loops)
{
	struct timer_state ts = { .t = t, .loops = loops };
	uint64_t beat_ticks = timer_get_frequency() / (NSEC_PER_SEC / BEAT_NS), last_beat;

	ts.period = (uint64_t)t->interval_us * timer_get_frequency() / 1000000u;
	t->st.min_ns = UINT64_MAX;
	ts.start = last_beat = ticks_now();
	t->epoch_ns = ticks_to_ns(ts.start);
	ts.next = ts.start + ts.period;
	active = &ts;
	timer_arm(ts.next);
	while (!ts.done) {
		asm volatile("wfi" : : : "memory");
		if (ticks_now() - last_beat >= beat_ticks) {
			last_beat = ticks_now();
			link_beat(l);
			ivshmem_beat(s);
		}
	}
	active = NULL;
	if (!t->st.cycles)
		t->st.min_ns = 0;
	return ticks_to_ns(ticks_now() - ts.start);
}
