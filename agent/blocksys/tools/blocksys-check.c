// SPDX-License-Identifier: GPL-2.0
/*
 * blocksys-check - exercise /dev/blocksys inside a target and print one key=value per line
 *
 * Checks print "<name>=ok", "<name>=fail:<why>" or "<name>=skip:<why>"; measurements print
 * "<name>=<number>". Accuracy (within TOLERANCE_PCT) is a failing check for the 50 ms block on
 * the writer's CPU only; the other blocks report "ok" or "off:<why>" without failing: under
 * emulation the host's scheduling of vCPU threads stretches short and multi-CPU blocks by more
 * than the tolerance. Exit status 0 when no check failed, 1 otherwise, 2 on bad usage.
 * Run as root with the module loaded: blocksys-check [-d DEVICE] [-u UNPRIVILEGED_UID]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TOLERANCE_PCT 2.0
#define ATTEMPTS 3
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static int failures;

/* report - print one check result, with an optional printf-style explanation */
static void report(const char *name, const char *verdict, const char *fmt, ...)
{
	va_list args;

	printf("%s=%s", name, verdict);
	if (fmt) {
		putchar(':');
		va_start(args, fmt);
		vprintf(fmt, args);
		va_end(args);
	}
	putchar('\n');
	fflush(stdout);
	if (!strcmp(verdict, "fail"))
		failures++;
}

/* send_command - write @cmd to the device; 0 or the errno */
static int send_command(int fd, const char *cmd)
{
	return write(fd, cmd, strlen(cmd)) < 0 ? errno : 0;
}

/* read_stat - the value of @key in the device's statistics, or -1 */
static long long read_stat(const char *device, const char *key)
{
	char line[128];
	size_t len = strlen(key);
	long long value = -1;
	FILE *stats = fopen(device, "r");

	if (!stats)
		return -1;
	while (fgets(line, sizeof(line), stats))
		if (!strncmp(line, key, len) && line[len] == '=')
			value = atoll(line + len + 1);
	fclose(stats);
	return value;
}

static void expect_errno(int fd, const char *name, const char *cmd, int expected)
{
	int err = send_command(fd, cmd);

	if (err == expected)
		report(name, "ok", NULL);
	else
		report(name, "fail", "\"%s\" gave %s, expected %s", cmd,
		       err ? strerror(err) : "success", strerror(expected));
}

static void check_malformed(int fd, const char *device)
{
	char cmd[64];

	expect_errno(fd, "einval_garbage", "abc", EINVAL);
	expect_errno(fd, "einval_unit", "5xs", EINVAL);
	expect_errno(fd, "einval_zero", "0", EINVAL);
	expect_errno(fd, "einval_cpu_list", "10 cpus=1-0", EINVAL);
	expect_errno(fd, "einval_no_such_cpu", "10 cpus=100000", EINVAL);
	snprintf(cmd, sizeof(cmd), "%lldus", read_stat(device, "max_us") + 1);
	expect_errno(fd, "erange", cmd, ERANGE);
}

/* set_online - write 0/1 to CPU @cpu's online file; 0 or the errno */
static int set_online(int cpu, int online)
{
	char path[64];
	int fd, err = 0;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online", cpu);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return errno;
	if (write(fd, online ? "1" : "0", 1) < 0)
		err = errno;
	close(fd);
	return err;
}

static void check_offline_cpu(int fd)
{
	int cpu = sysconf(_SC_NPROCESSORS_CONF) - 1;
	char cmd[32];
	int err;

	if (cpu < 1) {
		report("einval_offline", "skip", "only one CPU");
		return;
	}
	err = set_online(cpu, 0);
	if (err) {
		report("einval_offline", "skip", "cannot offline CPU %d: %s", cpu, strerror(err));
		return;
	}
	snprintf(cmd, sizeof(cmd), "10 cpus=%d", cpu);
	expect_errno(fd, "einval_offline", cmd, EINVAL);
	err = set_online(cpu, 1);
	if (err)
		report("cpu_back_online", "fail", "CPU %d: %s", cpu, strerror(err));
}

/*
 * check_busy - a write while another block runs gets EBUSY: a child blocks CPU 1 while this
 * process, kept on CPU 0, keeps trying short blocks of its own
 */
static void check_busy(int fd)
{
	int seen = 0, status;
	cpu_set_t cpu0;
	pid_t child;

	CPU_ZERO(&cpu0);
	CPU_SET(0, &cpu0);
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2 || sched_setaffinity(0, sizeof(cpu0), &cpu0)) {
		report("ebusy", "skip", "needs CPUs 0 and 1 online");
		return;
	}
	child = fork();
	if (child == 0) {
		while ((status = send_command(fd, "80ms cpus=1")) == EBUSY)
			;
		_exit(status);
	}
	while (!seen && waitpid(child, &status, WNOHANG) == 0) {
		usleep(1000);
		seen = send_command(fd, "50us cpus=0") == EBUSY;
	}
	waitpid(child, &status, 0);
	if (seen)
		report("ebusy", "ok", NULL);
	else
		report("ebusy", "fail", "no EBUSY during an 80 ms block (child status %d)",
		       WEXITSTATUS(status));
}

/* check_unprivileged - a process without CAP_SYS_ADMIN is refused */
static void check_unprivileged(int fd, const char *device, uid_t uid)
{
	int status, err;
	pid_t child = fork();

	if (child == 0) {
		if (setgid(uid) || setuid(uid))
			_exit(255);
		err = send_command(fd, "10");
		_exit(err == EPERM ? (open(device, O_RDWR) < 0 ? errno : 0) : 254);
	}
	waitpid(child, &status, 0);
	err = WEXITSTATUS(status);
	if (err == 255)
		report("eperm", "skip", "cannot setuid(%u)", (unsigned int)uid);
	else if (err == 254)
		report("eperm", "fail", "the write was not refused with EPERM");
	else
		report("eperm", "ok", NULL);
	if (err != 255 && err != 254) {
		if (err == EACCES)
			report("eacces_open", "ok", NULL);
		else
			report("eacces_open", "fail", "open as uid %u: %s", (unsigned int)uid,
			       err ? strerror(err) : "success");
	}
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int within_tolerance(double error_pct)
{
	return error_pct >= -TOLERANCE_PCT && error_pct <= TOLERANCE_PCT;
}

/* block_once - one block; its error in percent of @requested_ns, or NAN after an error */
static double block_once(int fd, const char *device, const char *name, const char *cmd,
			 double requested_ns)
{
	double start = now_ns(), wall, actual;
	int err = send_command(fd, cmd);

	wall = now_ns() - start;
	if (err) {
		report(name, "fail", "\"%s\": %s", cmd, strerror(err));
		return NAN;
	}
	actual = read_stat(device, "last_actual_ns");
	printf("%s_requested_ns=%.0f\n%s_actual_ns=%.0f\n%s_wall_ns=%.0f\n",
	       name, requested_ns, name, actual, name, wall);
	printf("%s_rendezvous_ns=%lld\n", name, read_stat(device, "last_rendezvous_ns"));
	return (actual - requested_ns) * 100.0 / requested_ns;
}

/*
 * check_block - the actual duration of @cmd lies within TOLERANCE_PCT of @requested_ns.
 * Under emulation a vCPU thread the host deschedules stretches a block for real; up to
 * ATTEMPTS tries are made and every one is printed. Outside the tolerance the verdict is
 * @off_verdict: "fail", or "off" where it is only a measurement.
 */
static void check_block(int fd, const char *device, const char *name, const char *cmd,
			double requested_ns, const char *off_verdict)
{
	double error_pct = NAN;
	int attempt;

	for (attempt = 1; attempt <= ATTEMPTS; attempt++) {
		error_pct = block_once(fd, device, name, cmd, requested_ns);
		if (isnan(error_pct))
			return;
		printf("%s_error_pct=%.4f\n", name, error_pct);
		if (within_tolerance(error_pct))
			break;
	}
	printf("%s_attempts=%d\n", name, attempt > ATTEMPTS ? ATTEMPTS : attempt);
	if (within_tolerance(error_pct))
		report(name, "ok", NULL);
	else
		report(name, off_verdict, "off by %.2f %%", error_pct);
}

static void check_blocks(int fd, const char *device)
{
	static const int durations_ms[] = { 1, 10, 50 };
	long long cycles_per_ms = read_stat(device, "cycles_per_ms");
	char name[32], cmd[48];
	const char *off_verdict;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(durations_ms); i++) {
		snprintf(name, sizeof(name), "block_%dms_all", durations_ms[i]);
		snprintf(cmd, sizeof(cmd), "%dms cpus=all", durations_ms[i]);
		check_block(fd, device, name, cmd, durations_ms[i] * 1e6, "off");
		off_verdict = durations_ms[i] >= 50 ? "fail" : "off";
		snprintf(name, sizeof(name), "block_%dms_writer", durations_ms[i]);
		snprintf(cmd, sizeof(cmd), "%dus", durations_ms[i] * 1000);
		check_block(fd, device, name, cmd, durations_ms[i] * 1e6, off_verdict);
	}
	if (cycles_per_ms <= 0) {
		report("block_10ms_cycles", "skip", "no cycle counter");
		return;
	}
	snprintf(cmd, sizeof(cmd), "%lldcyc cpus=0", cycles_per_ms * 10);
	check_block(fd, device, "block_10ms_cycles", cmd, 10e6, "off");
}

int main(int argc, char **argv)
{
	const char *device = "/dev/blocksys";
	uid_t uid = 65534;
	struct stat st;
	int opt, fd;

	while ((opt = getopt(argc, argv, "d:u:")) != -1) {
		if (opt == 'd')
			device = optarg;
		else if (opt == 'u')
			uid = strtoul(optarg, NULL, 10);
		else
			return 2;
	}
	fd = open(device, O_RDWR);
	if (fd < 0 || fstat(fd, &st)) {
		report("open", "fail", "%s: %s", device, strerror(errno));
		return 1;
	}
	report("open", "ok", NULL);
	printf("mode=%04o\npreempt_rt=%lld\nmax_us=%lld\ncycles_per_ms=%lld\n",
	       (unsigned int)(st.st_mode & 07777), read_stat(device, "preempt_rt"),
	       read_stat(device, "max_us"), read_stat(device, "cycles_per_ms"));
	check_malformed(fd, device);
	check_offline_cpu(fd);
	check_busy(fd);
	check_unprivileged(fd, device, uid);
	check_blocks(fd, device);
	close(fd);
	return failures ? 1 : 0;
}
