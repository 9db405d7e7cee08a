/* unit_tests.c - unit tests of the core's pure parts: histogram, overflow list, percentiles,
 * CPU lists, encoders, option parsing. Prints TAP lines and "N passed, N failed"; exit 1 on
 * any failure. Built by `make unit-tests`, run by tests/core/test_core_unit.py. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "cpulist.h"
#include "histogram.h"
#include "options.h"
#include "overflow.h"
#include "percentile.h"

struct tally {
	int run;
	int failed;
};

/* check - record one assertion as a TAP line */
static void check(struct tally *t, int ok, const char *name)
{
	t->run++;
	if (!ok)
		t->failed++;
	printf("%sok %d - %s\n", ok ? "" : "not ", t->run, name);
}

/* check_u64 - assertion on a number, printing both values on failure */
static void check_u64(struct tally *t, uint64_t got, uint64_t want, const char *name)
{
	check(t, got == want, name);
	if (got != want)
		printf("#   got %" PRIu64 ", want %" PRIu64 "\n", got, want);
}

/* test_histogram - bucket edges and the overflow boundary */
static void test_histogram(struct tally *t)
{
	struct histogram h;

	check(t, hist_init(&h, 10, 1000) == 0, "hist_init 10 x 1us");
	check(t, hist_add(&h, 0) == 0 && h.counts[0] == 1, "0 ns lands in bucket 0");
	check(t, hist_add(&h, 999) == 0 && h.counts[0] == 2, "999 ns lands in bucket 0");
	check(t, hist_add(&h, 1000) == 0 && h.counts[1] == 1, "1000 ns lands in bucket 1");
	check(t, hist_add(&h, 9999) == 0 && h.counts[9] == 1, "9999 ns lands in the last bucket");
	check(t, hist_add(&h, 10000) == 1, "10000 ns is above the range");
	check(t, hist_add(&h, UINT64_MAX) == 1, "UINT64_MAX is above the range");
	check_u64(t, hist_total(&h), 4, "hist_total counts in-range latencies only");
	check(t, hist_init(&h, 0, 1000) != 0, "hist_init refuses 0 buckets");
	hist_free(&h);
}

/* test_overflow - cap keeps the first samples, total stays exact */
static void test_overflow(struct tally *t)
{
	struct overflow_list o;

	check(t, overflow_init(&o, 3) == 0, "overflow_init cap 3");
	for (uint64_t i = 0; i < 5; i++)
		overflow_add(&o, 100 + i, 1000 * i, 7 + i);
	check_u64(t, o.count, 3, "three samples kept");
	check_u64(t, o.total, 5, "total counts all five");
	check(t, o.samples[0].value_ns == 100 && o.samples[0].time_ns == 0 &&
	      o.samples[0].cycle == 7, "first sample keeps value, time and cycle");
	check(t, o.samples[2].value_ns == 102 && o.samples[2].cycle == 9, "third sample kept");
	overflow_free(&o);
	check(t, overflow_init(&o, 0) == 0, "overflow_init cap 0");
	overflow_add(&o, 1, 2, 3);
	check(t, o.count == 0 && o.total == 1, "cap 0 keeps none, counts all");
	overflow_free(&o);
}

/* test_percentile_rank - ceil(n * q) without overflow */
static void test_percentile_rank(struct tally *t)
{
	check_u64(t, percentile_rank(100, PPM_P50), 50, "rank p50 of 100");
	check_u64(t, percentile_rank(101, PPM_P50), 51, "rank p50 of 101 rounds up");
	check_u64(t, percentile_rank(1000, PPM_P99_9), 999, "rank p99.9 of 1000");
	check_u64(t, percentile_rank(1, PPM_P99_99), 1, "rank p99.99 of 1");
	check_u64(t, percentile_rank(UINT64_MAX, 1000000), UINT64_MAX, "rank p100 of 2^64-1");
}

/* test_percentiles - values from buckets (upper edge, capped at max) and from overflows */
static void test_percentiles(struct tally *t)
{
	struct histogram h;
	struct overflow_list o;

	hist_init(&h, 100, 1000);
	overflow_init(&o, 8);
	check_u64(t, latency_percentile(&h, &o, 0, PPM_P50), 0, "no samples: 0");
	for (int i = 0; i < 98; i++)
		hist_add(&h, 4200);	/* bucket 4 */
	hist_add(&h, 50500);		/* bucket 50 */
	overflow_add(&o, 250000, 1, 1);	/* above 100 us */
	check_u64(t, latency_percentile(&h, &o, 250000, PPM_P50), 5000,
		  "p50 is the upper edge of bucket 4");
	check_u64(t, latency_percentile(&h, &o, 250000, PPM_P99), 51000,
		  "p99 (rank 99 of 100) is bucket 50's upper edge");
	check_u64(t, latency_percentile(&h, &o, 250000, PPM_P99_9), 250000,
		  "p99.9 falls in the overflow list: exact value");
	check_u64(t, latency_percentile(&h, &o, 4500, PPM_P50), 4500,
		  "bucket edge is capped at the maximum");
	overflow_add(&o, 300000, 2, 2);
	o.total += 5;			/* pretend five more overflows were not kept */
	check_u64(t, latency_percentile(&h, &o, 900000, PPM_P99_99), 900000,
		  "incomplete overflow list: the maximum, never less");
	hist_free(&h);
	overflow_free(&o);
}

/* test_overflow_sorted - exact percentile picks the k-th smallest kept overflow */
static void test_overflow_sorted(struct tally *t)
{
	struct histogram h;
	struct overflow_list o;

	hist_init(&h, 1, 1000);
	overflow_init(&o, 4);
	overflow_add(&o, 9000, 0, 0);
	overflow_add(&o, 3000, 0, 1);
	overflow_add(&o, 7000, 0, 2);
	overflow_add(&o, 5000, 0, 3);
	check_u64(t, latency_percentile(&h, &o, 9000, PPM_P50), 5000,
		  "all samples overflow: p50 is the 2nd smallest");
	check_u64(t, latency_percentile(&h, &o, 9000, PPM_P99), 9000, "p99 is the largest");
	hist_free(&h);
	overflow_free(&o);
}

/* test_cpulist - parse, format, round robin */
static void test_cpulist(struct tally *t)
{
	cpu_set_t s;
	char out[64];

	check(t, cpulist_parse("0-3,5,7-8", &s) == 0 && CPU_COUNT(&s) == 7, "parse 0-3,5,7-8");
	cpulist_format(&s, out, sizeof(out));
	check(t, !strcmp(out, "0-3,5,7-8"), "format gives the compact list back");
	check_u64(t, (uint64_t)cpulist_nth(&s, 4), 5, "5th CPU is 5");
	check_u64(t, (uint64_t)cpulist_nth(&s, 7), 0, "nth wraps round");
	check(t, cpulist_parse("", &s) != 0, "empty list refused");
	check(t, cpulist_parse("3-1", &s) != 0, "descending range refused");
	check(t, cpulist_parse("1,", &s) != 0, "trailing comma refused");
	check(t, cpulist_parse("a", &s) != 0, "letters refused");
	check(t, cpulist_parse("99999", &s) != 0, "CPU beyond CPU_SETSIZE refused");
}

/* test_buf - LE integers, LEB128, CRC-32 */
static void test_buf(struct tally *t)
{
	struct buf b = { 0 };
	static const uint8_t want[] = { 0x34, 0x12, 0xe5, 0x8e, 0x26, 0x00, 0x7f };

	buf_u16(&b, 0x1234);
	buf_uleb(&b, 624485);
	buf_uleb(&b, 0);
	buf_uleb(&b, 127);
	check(t, b.len == sizeof(want) && !memcmp(b.data, want, sizeof(want)),
	      "u16 little endian and LEB128 (624485 -> e5 8e 26)");
	check_u64(t, crc32_zlib((const uint8_t *)"123456789", 9), 0xcbf43926u,
		  "CRC-32 check value of 123456789");
	buf_free(&b);
}

/* parse - run options_parse on a NULL-terminated word list */
static int parse(struct measure_opts *o, char *err, const char *const *words)
{
	char *argv[32];
	int argc = 0;

	argv[argc++] = "rtvirt-measure";
	while (*words && argc < 31)
		argv[argc++] = (char *)*words++;
	argv[argc] = NULL;
	return options_parse(argc, argv, o, err, 256);
}

/* test_options - cyclictest's flag semantics */
static void test_options(struct tally *t)
{
	static struct measure_opts o;
	char err[256];

	check(t, parse(&o, err, (const char *const[]){ NULL }) == 0 && o.threads == 1 &&
	      o.interval_us == 1000 && o.distance_us == 500 && o.priority == 0,
	      "defaults: 1 thread, -i1000, -d500, SCHED_OTHER");
	check(t, parse(&o, err, (const char *const[]){ "-S", "-p99", "-i200", "-h400", "-m",
			NULL }) == 0 && o.smp && o.threads == -1 && o.affinity == AFFINITY_ALL &&
	      o.priority == 99 && o.histogram_us == 400 && o.mlockall,
	      "-S -p99 -i200 -h400 -m");
	check(t, parse(&o, err, (const char *const[]){ "-t", "3", "-a", "1", NULL }) == 0 &&
	      o.threads == 3 && o.affinity == AFFINITY_LIST && CPU_ISSET(1, &o.affinity_set),
	      "-t 3 -a 1: optional values as separate words");
	check(t, parse(&o, err, (const char *const[]){ "-t", "-q", NULL }) == 0 &&
	      o.threads == -1 && o.quiet, "-t without value: one thread per CPU");
	check(t, parse(&o, err, (const char *const[]){ "-D", "2m", NULL }) == 0 &&
	      o.duration_s == 120, "-D 2m is 120 s");
	check(t, parse(&o, err, (const char *const[]){ "-D", "1H", NULL }) == 0 &&
	      o.duration_s == 3600, "-D 1H is 3600 s");
	check(t, parse(&o, err, (const char *const[]){ "-D", "3x", NULL }) != 0 &&
	      strstr(err, "-D"), "-D 3x refused, message names -D");
	check(t, parse(&o, err, (const char *const[]){ "-p", "100", NULL }) != 0 &&
	      strstr(err, "priority"), "-p 100 refused");
	check(t, parse(&o, err, (const char *const[]){ "--label", "a=1", "--label", "a=2",
			NULL }) != 0 && strstr(err, "twice"), "duplicate label key refused");
	check(t, parse(&o, err, (const char *const[]){ "--label", "scenario=kvm guest", NULL })
	      == 0 && o.nlabels == 1 && !strcmp(o.labels[0].value, "kvm guest"),
	      "--label KEY=VALUE with a space in the value");
	check(t, parse(&o, err, (const char *const[]){ "-i", NULL }) != 0 &&
	      strstr(err, "needs a value"), "-i without value refused");
	check(t, parse(&o, err, (const char *const[]){ "--json", "-", "--result", "-", NULL })
	      != 0, "--json - with --result - refused");
}

/* main - run every test group */
int main(void)
{
	struct tally t = { 0, 0 };

	test_histogram(&t);
	test_overflow(&t);
	test_percentile_rank(&t);
	test_percentiles(&t);
	test_overflow_sorted(&t);
	test_cpulist(&t);
	test_buf(&t);
	test_options(&t);
	printf("1..%d\n%d passed, %d failed\n", t.run, t.run - t.failed, t.failed);
	return t.failed ? 1 : 0;
}
