/* cpulist.h - CPU list strings ("0-3,5") to and from cpu_set_t, online and allowed CPUs. */
#ifndef RTVIRT_CPULIST_H
#define RTVIRT_CPULIST_H

#include <sched.h>
#include <stddef.h>

int cpulist_parse(const char *s, cpu_set_t *set);
void cpulist_format(const cpu_set_t *set, char *out, size_t size);
int cpulist_nth(const cpu_set_t *set, int n);
int cpulist_online(cpu_set_t *set);

#endif
