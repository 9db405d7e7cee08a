/* output_cyclictest.c - --json: the summary in cyclictest 2.x's own JSON layout.
 *
 * Same keys, nesting and number formats as cyclictest --json (rt-tests 2.4), key spellings
 * included ("cmdline:" and "rt_test_version:" end with a colon there), so scripts written for
 * cyclictest read this file unchanged. Latencies are in us, truncated; a thread that is not
 * pinned has "cpu": -1 (cyclictest pins every thread). docs/result-format.md has the table.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "output_cyclictest.h"
#include "output_json.h"
#include "result_format.h"
#include "run.h"
#include "strutil.h"

/* put_time - cyclictest's time stamp ("Fri, 04 Dec 2026 21:21:07 +0000") of a realtime ns */
static void put_time(FILE *f, const char *key, uint64_t realtime_ns)
{
	time_t secs = (time_t)(realtime_ns / 1000000000u);
	struct tm tm;
	char text[64] = "";

	if (localtime_r(&secs, &tm))
		strftime(text, sizeof(text), "%a, %d %b %Y %H:%M:%S %z", &tm);
	fprintf(f, "  \"%s\": \"%s\",\n", key, text);
}

/* put_sysinfo - cyclictest's "sysinfo" object */
static void put_sysinfo(FILE *f, const struct sysinfo_snapshot *s)
{
	fputs("  \"sysinfo\": {\n    \"sysname\": \"Linux\",\n    \"nodename\": ", f);
	json_put_string(f, s->nodename);
	fputs(",\n    \"release\": ", f);
	json_put_string(f, s->release);
	fputs(",\n    \"version\": ", f);
	json_put_string(f, s->version);
	fputs(",\n    \"machine\": ", f);
	json_put_string(f, s->machine);
	fprintf(f, ",\n    \"realtime\": %d\n  },\n", s->preempt_rt ? 1 : 0);
}

/* put_histogram - the non-zero 1 us buckets ("us": count), only with -h as in cyclictest */
static void put_histogram(FILE *f, const struct run *r, const struct histogram *h)
{
	int first = 1;

	fputs("      \"histogram\": {", f);
	for (uint32_t b = 0; r->opts->histogram_us && b < h->buckets; b++) {
		if (!h->counts[b])
			continue;
		fprintf(f, "%s\n        \"%u\": %" PRIu64, first ? "" : ",", b, h->counts[b]);
		first = 0;
	}
	fputs(first ? "      },\n" : "\n      },\n", f);
}

/* put_thread - one entry of cyclictest's "thread" object */
static void put_thread(FILE *f, const struct run *r, const struct measure_thread *t)
{
	const struct thread_stats *s = &t->st;

	fprintf(f, "    \"%d\": {\n", t->index);
	put_histogram(f, r, &t->hist);
	fprintf(f, "      \"cycles\": %" PRIu64 ",\n", s->cycles);
	fprintf(f, "      \"min\": %" PRIu64 ",\n", s->cycles ? s->min_ns / 1000 : 0);
	fprintf(f, "      \"max\": %" PRIu64 ",\n", s->max_ns / 1000);
	fprintf(f, "      \"avg\": %.2f,\n", s->cycles ? (double)s->sum_us / (double)s->cycles : 0.0);
	fprintf(f, "      \"cpu\": %d,\n      \"node\": 0\n    }%s\n", t->cpu,
		t->index == r->nthreads - 1 ? "" : ",");
}

/* cyclictest_document - the whole document */
static void cyclictest_document(FILE *f, const struct run *r)
{
	fputs("{\n  \"file_version\": 1,\n  \"cmdline:\": ", f);
	json_put_string(f, r->command);
	fputs(",\n  \"rt_test_version:\": ", f);
	json_put_string(f, TOOL_VERSION);
	fputs(",\n", f);
	put_time(f, "start_time", r->start_realtime_ns);
	put_time(f, "end_time", r->start_realtime_ns + r->duration_ns);
	fprintf(f, "  \"return_code\": %d,\n", r->stop_reason == RESULT_STOP_ERROR ? 1 : 0);
	put_sysinfo(f, &r->sys);
	fprintf(f, "  \"num_threads\": %d,\n  \"resolution_in_ns\": 0,\n  \"thread\": {\n",
		r->nthreads);
	for (int i = 0; i < r->nthreads; i++)
		put_thread(f, r, &r->threads[i]);
	fputs("  }\n}\n", f);
}

/* cyclictest_json_write - render the document and write it to path ("-": stdout) */
int cyclictest_json_write(const struct run *r, const char *path, char *err, size_t size)
{
	return json_render_to_file(r, cyclictest_document, path, err, size);
}
