/* cpulist.c - CPU list strings ("0-3,5") to and from cpu_set_t, online and allowed CPUs. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpulist.h"

/* parse_cpu_number - read one decimal CPU number below CPU_SETSIZE; -1 if malformed */
static long parse_cpu_number(const char **p)
{
	char *end;
	long v;

	if (!isdigit((unsigned char)**p))
		return -1;
	errno = 0;
	v = strtol(*p, &end, 10);
	if (errno || v >= CPU_SETSIZE)
		return -1;
	*p = end;
	return v;
}

/* cpulist_parse - parse "0-3,5,7-8" into set; 0 on success, -1 if malformed or empty */
int cpulist_parse(const char *s, cpu_set_t *set)
{
	const char *p = s;

	CPU_ZERO(set);
	if (!s || !*s)
		return -1;
	for (;;) {
		long lo = parse_cpu_number(&p), hi;

		if (lo < 0)
			return -1;
		hi = lo;
		if (*p == '-') {
			p++;
			hi = parse_cpu_number(&p);
			if (hi < lo)
				return -1;
		}
		for (long c = lo; c <= hi; c++)
			CPU_SET(c, set);
		if (*p == '\0')
			return 0;
		if (*p != ',')
			return -1;
		p++;
	}
}

/* cpulist_format - write set as a compact list ("0-3,5") into out */
void cpulist_format(const cpu_set_t *set, char *out, size_t size)
{
	size_t len = 0;

	if (size)
		out[0] = '\0';
	for (int c = 0; c < CPU_SETSIZE; c++) {
		int hi = c;
		int n;

		if (!CPU_ISSET(c, set))
			continue;
		while (hi + 1 < CPU_SETSIZE && CPU_ISSET(hi + 1, set))
			hi++;
		if (hi == c)
			n = snprintf(out + len, size - len, "%s%d", len ? "," : "", c);
		else
			n = snprintf(out + len, size - len, "%s%d-%d", len ? "," : "", c, hi);
		if (n < 0 || (size_t)n >= size - len)
			return;
		len += (size_t)n;
		c = hi;
	}
}

/* cpulist_nth - the n-th (0-based, wrapping round) CPU of set; -1 if set is empty */
int cpulist_nth(const cpu_set_t *set, int n)
{
	int count = CPU_COUNT(set);

	if (count == 0)
		return -1;
	n %= count;
	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, set) && n-- == 0)
			return c;
	return -1;
}

/* cpulist_online - read the online CPUs from sysfs; -1 (errno set) if unreadable */
int cpulist_online(cpu_set_t *set)
{
	char line[4096];
	FILE *f = fopen("/sys/devices/system/cpu/online", "r");
	int ok;

	if (!f)
		return -1;
	ok = fgets(line, sizeof(line), f) != NULL;
	fclose(f);
	if (!ok)
		return -1;
	line[strcspn(line, "\n")] = '\0';
	if (cpulist_parse(line, set)) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}
