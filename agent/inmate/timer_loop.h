/* timer_loop.h - the inmate's periodic timer loop: the generic timer's virtual comparator as
 * clock_nanosleep(TIMER_ABSTIME), its interrupt as the wakeup. */
#ifndef RTVIRT_INMATE_TIMER_LOOP_H
#define RTVIRT_INMATE_TIMER_LOOP_H

#include <stdint.h>

#include "../core/measure.h"
#include "link.h"

uint64_t ticks_now(void);
uint64_t ticks_to_ns(uint64_t ticks);
void timer_irq(unsigned int irq);
void idle_wait(uint32_t us);
uint64_t timer_measure(struct measure_thread *t, struct link *l, struct ivshmem_stream *s,
		       uint64_t loops);

#endif
