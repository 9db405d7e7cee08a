/* rtsetup.c - real-time setup that may be refused: CPUs, memory locking, scheduling, signals.
 *
 * Every refusal gets a message naming the cause; the caller exits with status 3. Nothing here
 * falls back silently (no SCHED_OTHER instead of SCHED_FIFO, no unpinned thread).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include "cpulist.h"
#include "measure.h"
#include "rtsetup.h"

/* rlimit_text - an rlimit value as text ("unlimited" or the number) */
static void rlimit_text(rlim_t v, char *out, size_t size)
{
	if (v == RLIM_INFINITY)
		snprintf(out, size, "unlimited");
	else
		snprintf(out, size, "%llu", (unsigned long long)v);
}

/* rt_allowed_cpus - online CPUs this process may run on; checks every CPU of -a LIST */
int rt_allowed_cpus(const struct measure_opts *o, cpu_set_t *allowed, char *err, size_t size)
{
	cpu_set_t online, mask;
	char list[512];

	if (sched_getaffinity(0, sizeof(mask), &mask)) {
		snprintf(err, size, "sched_getaffinity: %s", strerror(errno));
		return -1;
	}
	if (cpulist_online(&online))
		online = mask;	/* no sysfs: trust the affinity mask */
	CPU_AND(allowed, &online, &mask);
	if (o->affinity != AFFINITY_LIST)
		return 0;
	for (int c = 0; c < CPU_SETSIZE; c++) {
		if (!CPU_ISSET(c, &o->affinity_set) || CPU_ISSET(c, allowed))
			continue;
		if (!CPU_ISSET(c, &online)) {
			cpulist_format(&online, list, sizeof(list));
			snprintf(err, size, "CPU %d is offline or does not exist (online: %s)",
				 c, list);
		} else {
			cpulist_format(&mask, list, sizeof(list));
			snprintf(err, size, "CPU %d is not in this process's CPU affinity/cpuset "
				 "(allowed: %s)", c, list);
		}
		return -1;
	}
	return 0;
}

/* rt_lock_memory - mlockall(MCL_CURRENT | MCL_FUTURE), naming RLIMIT_MEMLOCK on failure */
int rt_lock_memory(char *err, size_t size)
{
	struct rlimit rl;
	char lim[32] = "?";

	if (mlockall(MCL_CURRENT | MCL_FUTURE) == 0)
		return 0;
	if (getrlimit(RLIMIT_MEMLOCK, &rl) == 0)
		rlimit_text(rl.rlim_cur, lim, sizeof(lim));
	snprintf(err, size, "mlockall refused: %s (RLIMIT_MEMLOCK is %s; needs CAP_IPC_LOCK "
		 "or a larger ulimit -l)", strerror(errno), lim);
	return -1;
}

/* rt_sched_refused - explain why starting a thread with the given scheduling failed */
void rt_sched_refused(int error, int policy, int priority, int cpu, char *err, size_t size)
{
	struct rlimit rl;
	char lim[32] = "?";
	const char *name = policy == SCHED_FIFO ? "SCHED_FIFO" : "SCHED_OTHER";

	if (error == EPERM && policy == SCHED_FIFO) {
		if (getrlimit(RLIMIT_RTPRIO, &rl) == 0)
			rlimit_text(rl.rlim_cur, lim, sizeof(lim));
		if (getrlimit(RLIMIT_RTPRIO, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
		    rl.rlim_cur < (rlim_t)priority)
			snprintf(err, size, "%s refused: RLIMIT_RTPRIO is %s (priority %d "
				 "requested; needs CAP_SYS_NICE or ulimit -r %d)", name, lim,
				 priority, priority);
		else
			snprintf(err, size, "%s refused: %s at priority %d although RLIMIT_RTPRIO "
				 "is %s (real-time group scheduling without runtime, or a "
				 "container without CAP_SYS_NICE?)", name, strerror(error),
				 priority, lim);
		return;
	}
	if (error == EINVAL && cpu >= 0) {
		snprintf(err, size, "cannot pin a thread to CPU %d: %s", cpu, strerror(error));
		return;
	}
	snprintf(err, size, "cannot start a %s thread (priority %d): %s", name, priority,
		 strerror(error));
}

/* wake_handler - no-op: SIG_WAKE only interrupts clock_nanosleep */
static void wake_handler(int sig)
{
	(void)sig;
}

/* rt_signals_setup - block the signals the main thread waits for, arm the wake signal */
void rt_signals_setup(sigset_t *waitset)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = wake_handler;
	sigemptyset(&sa.sa_mask);
	sigaction(SIG_WAKE, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);

	sigemptyset(waitset);
	sigaddset(waitset, SIGINT);
	sigaddset(waitset, SIGTERM);
	sigaddset(waitset, SIG_THREAD_DONE);
	pthread_sigmask(SIG_BLOCK, waitset, NULL);
}

/* rt_die_with_parent - SIGTERM (a graceful stop: the result is still written) when the
 * process parent_pid is no longer our parent; the check after arming covers a parent that
 * died before prctl() */
void rt_die_with_parent(pid_t parent_pid)
{
	if (!parent_pid)
		return;
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent_pid)
		kill(getpid(), SIGTERM);
}
