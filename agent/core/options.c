/* options.c - command line of rtvirt-measure: cyclictest 2.x flags plus rtvirt's own.
 *
 * Parsing only checks syntax and ranges (exit status 2 on error); whether the CPUs exist and
 * the priority is allowed is decided by rtsetup.c (exit status 3).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpulist.h"
#include "options.h"

enum long_only {
	OPT_JSON = 256,
	OPT_RESULT_JSON,
	OPT_PRIOSPREAD,
	OPT_RESULT,
	OPT_PROGRESS_FD,
	OPT_PROGRESS_INTERVAL,
	OPT_LABEL,
	OPT_OVERFLOW_CAP,
	OPT_NO_PM_QOS,
	OPT_IVSHMEM,
	OPT_IVSHMEM_SLOTS,
	OPT_PARENT_PID,
	OPT_HELP,
	OPT_VERSION,
};

#define NOT_CYCLICTEST 1	/* parse_cyclictest_flag: the option is rtvirt's own */

static const struct option long_options[] = {
	{ "affinity", optional_argument, NULL, 'a' },
	{ "threads", optional_argument, NULL, 't' },
	{ "smp", no_argument, NULL, 'S' },
	{ "priority", required_argument, NULL, 'p' },
	{ "interval", required_argument, NULL, 'i' },
	{ "distance", required_argument, NULL, 'd' },
	{ "loops", required_argument, NULL, 'l' },
	{ "duration", required_argument, NULL, 'D' },
	{ "histogram", required_argument, NULL, 'h' },
	{ "mlockall", no_argument, NULL, 'm' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "nanosleep", no_argument, NULL, 'n' },
	{ "breaktrace", required_argument, NULL, 'b' },
	{ "priospread", no_argument, NULL, OPT_PRIOSPREAD },
	{ "json", required_argument, NULL, OPT_JSON },
	{ "result-json", required_argument, NULL, OPT_RESULT_JSON },
	{ "result", required_argument, NULL, OPT_RESULT },
	{ "progress-fd", required_argument, NULL, OPT_PROGRESS_FD },
	{ "progress-interval", required_argument, NULL, OPT_PROGRESS_INTERVAL },
	{ "label", required_argument, NULL, OPT_LABEL },
	{ "overflow-cap", required_argument, NULL, OPT_OVERFLOW_CAP },
	{ "no-pm-qos", no_argument, NULL, OPT_NO_PM_QOS },
	{ "ivshmem", required_argument, NULL, OPT_IVSHMEM },
	{ "ivshmem-slots", required_argument, NULL, OPT_IVSHMEM_SLOTS },
	{ "parent-pid", required_argument, NULL, OPT_PARENT_PID },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

/* fail - format a usage error into err; always returns -1 */
static int fail(char *err, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, size, fmt, ap);
	va_end(ap);
	return -1;
}

/* parse_u64 - strict decimal in [lo, hi]; 0 on success */
static int parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!s || !isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* parse_duration - cyclictest's -D: seconds, or a number with suffix s, m, h or d */
static int parse_duration(const char *s, uint64_t *out)
{
	static const struct { char suffix; uint64_t mult; } units[] = {
		{ 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 },
	};
	char num[32];
	size_t n = strlen(s);
	uint64_t mult = 1, v;

	if (n == 0 || n >= sizeof(num))
		return -1;
	memcpy(num, s, n + 1);
	if (!isdigit((unsigned char)num[n - 1])) {
		int found = 0;

		for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
			if (tolower((unsigned char)num[n - 1]) == units[i].suffix) {
				mult = units[i].mult;
				found = 1;
			}
		if (!found)
			return -1;
		num[n - 1] = '\0';
	}
	if (parse_u64(num, 0, UINT64_MAX / 86400, &v))
		return -1;
	*out = v * mult;
	return 0;
}

/* optional_value - cyclictest's optional argument: attached, or the next word if it fits */
static const char *optional_value(int argc, char **argv, int digits_only)
{
	const char *next;

	if (optarg)
		return optarg;
	if (optind >= argc)
		return NULL;
	next = argv[optind];
	if (!isdigit((unsigned char)next[0]))
		return NULL;
	if (digits_only && next[strspn(next, "0123456789")] != '\0')
		return NULL;
	optind++;
	return next;
}

/* add_label - store KEY=VALUE (key: letters, digits, '_', '-', '.'; unique) */
static int add_label(struct measure_opts *o, const char *arg, char *err, size_t size)
{
	const char *eq = strchr(arg, '=');
	size_t klen = eq ? (size_t)(eq - arg) : 0;

	if (!eq || klen == 0 || klen > 255 || strlen(eq + 1) > 4095)
		return fail(err, size, "invalid --label '%s': expected KEY=VALUE", arg);
	for (size_t i = 0; i < klen; i++)
		if (!isalnum((unsigned char)arg[i]) && !strchr("_-.", arg[i]))
			return fail(err, size, "invalid --label '%s': key may hold letters, digits, "
				    "'_', '-' and '.'", arg);
	if (strpbrk(eq + 1, "\n\r"))
		return fail(err, size, "invalid --label '%s': value holds a line break", arg);
	for (int i = 0; i < o->nlabels; i++)
		if (o->labels[i].key_len == klen && !memcmp(o->labels[i].key, arg, klen))
			return fail(err, size, "--label key '%.*s' given twice", (int)klen, arg);
	if (o->nlabels == MAX_LABELS)
		return fail(err, size, "too many --label options (at most %d)", MAX_LABELS);
	o->labels[o->nlabels].key = arg;
	o->labels[o->nlabels].key_len = klen;
	o->labels[o->nlabels].value = eq + 1;
	o->nlabels++;
	return 0;
}

/* options_defaults - cyclictest's defaults */
static void options_defaults(struct measure_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->affinity = AFFINITY_NONE;
	o->affinity_arg = "";
	o->threads = 1;
	o->interval_us = 1000;
	o->distance_us = 500;
	o->progress_fd = -1;
	o->progress_ms = 100;
	o->overflow_cap = DEFAULT_OVERFLOW_CAP;
}

/* parse_cyclictest_flag - apply cyclictest's option c (same meaning as there); 0, -1 with
 * err filled, or NOT_CYCLICTEST for an option of rtvirt's own */
static int parse_cyclictest_flag(int c, int argc, char **argv, struct measure_opts *o,
				 char *err, size_t size)
{
	uint64_t v;
	const char *val;

	switch (c) {
	case 'a':
		val = optional_value(argc, argv, 0);
		if (!val || !strcmp(val, "all")) {
			o->affinity = AFFINITY_ALL;
			o->affinity_arg = "all";
			return 0;
		}
		if (cpulist_parse(val, &o->affinity_set))
			return fail(err, size, "invalid CPU list '%s' for -a/--affinity "
				    "(expected e.g. 0-3,5)", val);
		o->affinity = AFFINITY_LIST;
		o->affinity_arg = val;
		return 0;
	case 't':
		val = optional_value(argc, argv, 1);
		if (!val) {
			o->threads = -1;
			return 0;
		}
		if (parse_u64(val, 1, MAX_THREADS, &v))
			return fail(err, size, "invalid thread count '%s' for -t/--threads "
				    "(1..%d)", val, MAX_THREADS);
		o->threads = (int)v;
		return 0;
	case 'S':
		o->smp = 1;
		return 0;
	case 'p':
		if (parse_u64(optarg, 0, 99, &v))
			return fail(err, size, "invalid priority '%s' for -p/--priority (0..99)",
				    optarg);
		o->priority = (int)v;
		return 0;
	case 'i':
		if (parse_u64(optarg, 1, UINT32_MAX, &v))
			return fail(err, size, "invalid interval '%s' for -i/--interval "
				    "(microseconds, 1..%u)", optarg, UINT32_MAX);
		o->interval_us = (uint32_t)v;
		return 0;
	case 'd':
		if (parse_u64(optarg, 0, UINT32_MAX, &v))
			return fail(err, size, "invalid distance '%s' for -d/--distance "
				    "(microseconds)", optarg);
		o->distance_us = (uint32_t)v;
		return 0;
	case 'l':
		if (parse_u64(optarg, 0, UINT64_MAX, &v))
			return fail(err, size, "invalid loop count '%s' for -l/--loops", optarg);
		o->loops = v;
		return 0;
	case 'D':
		if (parse_duration(optarg, &o->duration_s))
			return fail(err, size, "invalid duration '%s' for -D/--duration "
				    "(seconds, or a number with suffix s, m, h or d)", optarg);
		return 0;
	case 'h':
		if (parse_u64(optarg, 1, MAX_HIST_US, &v))
			return fail(err, size, "invalid histogram range '%s' for -h/--histogram "
				    "(microseconds, 1..%u)", optarg, MAX_HIST_US);
		o->histogram_us = (uint32_t)v;
		return 0;
	case 'm':
		o->mlockall = 1;
		return 0;
	case 'q':
		o->quiet = 1;
		return 0;
	case 'n':	/* cyclictest 1.x's clock_nanosleep mode: the only one here */
		return 0;
	case 'b':
		if (parse_u64(optarg, 1, MAX_BREAK_US, &v))
			return fail(err, size, "invalid break threshold '%s' for -b/--breaktrace "
				    "(microseconds, 1..%u)", optarg, MAX_BREAK_US);
		o->break_us = (uint32_t)v;
		return 0;
	case OPT_PRIOSPREAD:
		o->priospread = 1;
		return 0;
	case OPT_JSON:
		o->json_path = optarg;
		return *optarg ? 0 : fail(err, size, "--json needs a file name (or -)");
	default:
		return NOT_CYCLICTEST;
	}
}

/* parse_rtvirt_flag - apply rtvirt's own option c (record, progress, agent, ivshmem); 0 or
 * -1 with err filled */
static int parse_rtvirt_flag(int c, int argc, char **argv, struct measure_opts *o, char *err,
			     size_t size)
{
	uint64_t v;

	switch (c) {
	case OPT_RESULT_JSON:
		o->result_json_path = optarg;
		return *optarg ? 0 : fail(err, size, "--result-json needs a file name (or -)");
	case OPT_RESULT:
		o->result_path = optarg;
		return *optarg ? 0 : fail(err, size, "--result needs a file name (or -)");
	case OPT_PROGRESS_FD:
		if (parse_u64(optarg, 0, 65535, &v))
			return fail(err, size, "invalid file descriptor '%s' for --progress-fd",
				    optarg);
		if (fcntl((int)v, F_GETFD) < 0)
			return fail(err, size, "--progress-fd %s: not an open file descriptor",
				    optarg);
		o->progress_fd = (int)v;
		return 0;
	case OPT_PROGRESS_INTERVAL:
		if (parse_u64(optarg, 10, 60000, &v))
			return fail(err, size, "invalid --progress-interval '%s' "
				    "(milliseconds, 10..60000)", optarg);
		o->progress_ms = (uint32_t)v;
		return 0;
	case OPT_LABEL:
		return add_label(o, optarg, err, size);
	case OPT_OVERFLOW_CAP:
		if (parse_u64(optarg, 0, 1u << 24, &v))
			return fail(err, size, "invalid --overflow-cap '%s' (0..%u)", optarg,
				    1u << 24);
		o->overflow_cap = (uint32_t)v;
		return 0;
	case OPT_PARENT_PID:
		if (parse_u64(optarg, 1, 0x7fffffff, &v))
			return fail(err, size, "invalid --parent-pid '%s' (a process id)", optarg);
		o->parent_pid = (pid_t)v;
		return 0;
	case OPT_NO_PM_QOS:
		o->no_pm_qos = 1;
		return 0;
	case OPT_IVSHMEM:
		o->ivshmem_path = optarg;
		return *optarg ? 0 : fail(err, size, "--ivshmem needs a region (file) name");
	case OPT_IVSHMEM_SLOTS:
		if (parse_u64(optarg, 1, UINT32_MAX, &v))
			return fail(err, size, "invalid --ivshmem-slots '%s' (1..%u)", optarg,
				    UINT32_MAX);
		o->ivshmem_slots = (uint32_t)v;
		return 0;
	case OPT_HELP:
		o->help = 1;
		return 0;
	case OPT_VERSION:
		o->version = 1;
		return 0;
	default:
		if (optopt > 0 && optopt < 256)
			return fail(err, size, "unknown option '-%c' (see --help)", optopt);
		return fail(err, size, "unknown option '%s' (see --help)",
			    optind > 1 && optind <= argc ? argv[optind - 1] : "?");
	}
}

/* parse_one - apply option c with its argument; 0 or -1 with err filled */
static int parse_one(int c, int argc, char **argv, struct measure_opts *o, char *err,
		     size_t size)
{
	int done = parse_cyclictest_flag(c, argc, argv, o, err, size);

	return done == NOT_CYCLICTEST ? parse_rtvirt_flag(c, argc, argv, o, err, size) : done;
}

/* stdout_once - at most one of --json, --result-json and --result may be "-" */
static int stdout_once(const struct measure_opts *o, char *err, size_t size)
{
	const char *paths[] = { o->json_path, o->result_json_path, o->result_path };
	int on_stdout = 0;

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		on_stdout += paths[i] && !strcmp(paths[i], "-");
	if (on_stdout > 1)
		return fail(err, size, "--json, --result-json and --result: only one can be - "
			    "(stdout)");
	return 0;
}

/* options_parse - fill o from argv; 0, or -1 with a message naming the bad flag in err */
int options_parse(int argc, char **argv, struct measure_opts *o, char *err, size_t errsize)
{
	int c;

	options_defaults(o);
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":a::t::Sp:i:d:l:D:h:mqnb:", long_options, NULL)) != -1) {
		if (c == ':')
			return fail(err, errsize, "option '%s' needs a value", argv[optind - 1]);
		if (parse_one(c, argc, argv, o, err, errsize))
			return -1;
	}
	if (optind < argc)
		return fail(err, errsize, "unexpected argument '%s'", argv[optind]);
	if (o->smp) {
		o->affinity = AFFINITY_ALL;
		o->affinity_arg = "all";
		o->threads = -1;
	}
	return stdout_once(o, err, errsize);
}

/* options_usage - print the flags on stdout */
void options_usage(const char *prog)
{
	printf("Usage: %s [options]\n"
	       "Measures wakeup latency like cyclictest 2.x, and keeps what cyclictest hides.\n\n"
	       "cyclictest flags (same meaning):\n"
	       "  -a, --affinity[=LIST]   pin threads round robin to LIST (all allowed CPUs if none)\n"
	       "  -t, --threads[=NUM]     NUM threads (one per allowed CPU if NUM omitted; default 1)\n"
	       "  -S, --smp               -a -t: one thread per CPU, all at the same priority\n"
	       "  -p, --priority=PRIO     SCHED_FIFO priority 1..99 (0 or absent: SCHED_OTHER)\n"
	       "  -i, --interval=US       base interval (default 1000)\n"
	       "  -d, --distance=US       interval increment per thread (default 500; 0 with -h)\n"
	       "  -l, --loops=N           cycles per thread (default 0: endless)\n"
	       "  -D, --duration=TIME     run time: seconds, or N with suffix s, m, h, d\n"
	       "  -h, --histogram=US      print a 1 us histogram up to US after the run\n"
	       "  -m, --mlockall          lock current and future memory\n"
	       "  -q, --quiet             print a summary only on exit\n"
	       "  -b, --breaktrace=US     stop when a latency exceeds US; say where\n"
	       "  --priospread            thread N runs at PRIO-N (PRIO defaults to threads+1)\n"
	       "  -n, --nanosleep         accepted: clock_nanosleep is the only mode\n"
	       "  --json=FILE|-           cyclictest's JSON summary\n\n"
	       "rtvirt flags:\n"
	       "  --result-json=FILE|-    write the result as JSON (docs/result-format.md)\n"
	       "  --result=FILE|-         write the binary result record (text output then goes\n"
	       "                          to stderr if FILE is -)\n"
	       "  --progress-fd=N         periodic per-thread snapshot lines on descriptor N\n"
	       "  --progress-interval=MS  snapshot period (default 100)\n"
	       "  --label=KEY=VALUE       free-form label stored in the result (repeatable)\n"
	       "  --overflow-cap=N        samples above the histogram kept per thread (default %u)\n"
	       "  --ivshmem=PATH          stream every sample into the ivshmem region PATH\n"
	       "  --ivshmem-slots=N       at most N slots per thread's ring (default: all room)\n"
	       "  --no-pm-qos             do not hold /dev/cpu_dma_latency (the result says so)\n"
	       "  --parent-pid=PID        stop as on SIGTERM when PID (the agent) is no longer the\n"
	       "                          parent: the run never outlives the agent that started it\n"
	       "  --help, --version\n\n"
	       "Exit status: 0 done (also after SIGINT/SIGTERM), 1 runtime failure (e.g. the\n"
	       "result could not be written), 2 usage error, 3 real-time setup refused.\n",
	       prog, DEFAULT_OVERFLOW_CAP);
}
