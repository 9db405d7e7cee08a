/* sysinfo.c - cheap snapshot of the target: kernel, machine, CPUs, PREEMPT_RT, clock source. */
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "cpulist.h"
#include "strutil.h"
#include "sysinfo.h"

/* copy_sanitized - bounded copy of a uname field as valid UTF-8 */
static void copy_sanitized(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%.*s", (int)(size - 1), src);
	utf8_sanitize(dst);
}

/* sysinfo_snapshot - fill s from uname, sysfs and procfs (missing files leave "") */
void sysinfo_snapshot(struct sysinfo_snapshot *s)
{
	struct utsname u;
	cpu_set_t online;
	char rt[16];

	memset(s, 0, sizeof(*s));
	if (uname(&u) == 0) {
		copy_sanitized(s->release, sizeof(s->release), u.release);
		copy_sanitized(s->version, sizeof(s->version), u.version);
		copy_sanitized(s->machine, sizeof(s->machine), u.machine);
		copy_sanitized(s->nodename, sizeof(s->nodename), u.nodename);
	}
	read_first_line("/sys/devices/system/cpu/online", s->cpus_online, sizeof(s->cpus_online));
	if (cpulist_parse(s->cpus_online, &online) == 0)
		s->cpu_count = (uint16_t)CPU_COUNT(&online);
	s->preempt_rt = strstr(s->version, "PREEMPT_RT") != NULL;
	if (read_first_line("/sys/kernel/realtime", rt, sizeof(rt)) == 0 && rt[0] == '1')
		s->preempt_rt = 1;
	read_first_line("/proc/cmdline", s->cmdline, sizeof(s->cmdline));
	read_first_line("/sys/devices/system/clocksource/clocksource0/current_clocksource",
			s->clocksource, sizeof(s->clocksource));
}
