/* output_json.c - --result-json: the result as JSON, the 1:1 mirror of the binary record.
 *
 * Same names, nesting and numbers as rtvirt_agent.wire.result.result_to_json() gives for the
 * record result_writer.c writes (docs/result-format.md); tests/core compares the two.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "output_json.h"
#include "result_format.h"
#include "run.h"
#include "strutil.h"

static const char *const stop_names[] = { "completed", "signal", "error", "break" };

/* policy_name - JSON name of a scheduling policy */
static const char *policy_name(int policy)
{
	return policy == SCHED_FIFO ? "fifo" : policy == SCHED_RR ? "rr" : "other";
}

/* key_str - write "key": "value" */
static void key_str(FILE *f, const char *key, const char *value, const char *sep)
{
	fprintf(f, "\"%s\": ", key);
	json_put_string(f, value);
	fputs(sep, f);
}

/* key_u64 - write "key": number */
static void key_u64(FILE *f, const char *key, uint64_t value, const char *sep)
{
	fprintf(f, "\"%s\": %" PRIu64 "%s", key, value, sep);
}

/* key_bool - write "key": true|false */
static void key_bool(FILE *f, const char *key, int value, const char *sep)
{
	fprintf(f, "\"%s\": %s%s", key, value ? "true" : "false", sep);
}

/* json_params - the run parameters object */
static void json_params(FILE *f, const struct run *r)
{
	const struct measure_opts *o = r->opts;

	fputs("  \"params\": {", f);
	key_u64(f, "interval_us", o->interval_us, ", ");
	key_u64(f, "distance_us", o->distance_us, ", ");
	key_u64(f, "loops", o->loops, ", ");
	key_u64(f, "duration_limit_s", o->duration_s, ", ");
	key_u64(f, "histogram_us", o->histogram_us, ", ");
	key_u64(f, "priority", (uint64_t)r->priority, ", ");
	key_str(f, "policy", policy_name(r->policy), ", ");
	key_bool(f, "smp", o->smp, ", ");
	key_bool(f, "mlockall", o->mlockall, ", ");
	key_u64(f, "overflow_cap", o->overflow_cap, ", ");
	key_str(f, "affinity", o->affinity_arg, "},\n");
}

/* json_sysinfo - the target snapshot object */
static void json_sysinfo(FILE *f, const struct sysinfo_snapshot *s)
{
	fputs("  \"sysinfo\": {", f);
	key_str(f, "release", s->release, ", ");
	key_str(f, "version", s->version, ", ");
	key_str(f, "machine", s->machine, ", ");
	key_str(f, "nodename", s->nodename, ", ");
	key_str(f, "cpus_online", s->cpus_online, ", ");
	key_u64(f, "cpu_count", s->cpu_count, ", ");
	key_bool(f, "preempt_rt", s->preempt_rt, ", ");
	key_str(f, "cmdline", s->cmdline, ", ");
	key_str(f, "clocksource", s->clocksource, "},\n");
}

/* json_labels - the free-form labels object */
static void json_labels(FILE *f, const struct measure_opts *o)
{
	fputs("  \"labels\": {", f);
	for (int i = 0; i < o->nlabels; i++) {
		char key[256];

		memcpy(key, o->labels[i].key, o->labels[i].key_len);
		key[o->labels[i].key_len] = '\0';
		json_put_string(f, key);
		fputs(": ", f);
		json_put_string(f, o->labels[i].value);
		if (i < o->nlabels - 1)
			fputs(", ", f);
	}
	fputs("},\n", f);
}

/* json_histogram - bucket width, bucket count and the non-zero buckets as [index, count] */
static void json_histogram(FILE *f, const struct histogram *h)
{
	int first = 1;

	fprintf(f, "\"histogram\": {\"bucket_ns\": %u, \"buckets\": %u, \"counts\": [",
		h->bucket_ns, h->buckets);
	for (uint32_t b = 0; b < h->buckets; b++) {
		if (!h->counts[b])
			continue;
		fprintf(f, "%s[%u, %" PRIu64 "]", first ? "" : ", ", b, h->counts[b]);
		first = 0;
	}
	fputs("]}, ", f);
}

/* json_thread - one thread's figures */
static void json_thread(FILE *f, const struct measure_thread *t, int last)
{
	const struct thread_stats *s = &t->st;

	fputs("    {", f);
	key_u64(f, "index", (uint64_t)t->index, ", ");
	fprintf(f, "\"cpu\": %d, ", t->cpu);
	key_u64(f, "tid", (uint64_t)t->tid, ", ");
	key_str(f, "policy", policy_name(t->policy), ", ");
	key_u64(f, "priority", (uint64_t)t->priority, ", ");
	key_u64(f, "interval_us", t->interval_us, ", ");
	key_u64(f, "cycles", s->cycles, ", ");
	key_u64(f, "min_ns", s->cycles ? s->min_ns : 0, ", ");
	key_u64(f, "avg_ns", s->cycles ? s->sum_ns / s->cycles : 0, ", ");
	key_u64(f, "max_ns", s->max_ns, ", ");
	key_u64(f, "missed", s->missed, ", ");
	key_u64(f, "p50_ns", t->p50_ns, ", ");
	key_u64(f, "p99_ns", t->p99_ns, ", ");
	key_u64(f, "p99_9_ns", t->p99_9_ns, ", ");
	key_u64(f, "p99_99_ns", t->p99_99_ns, ",\n     ");
	json_histogram(f, &t->hist);
	key_u64(f, "overflow_total", t->over.total, ",\n     \"overflow_samples\": [");
	for (uint32_t k = 0; k < t->over.count; k++) {
		const struct overflow_sample *o = &t->over.samples[k];

		fprintf(f, "%s{\"value_ns\": %" PRIu64 ", \"time_ns\": %" PRIu64
			", \"cycle\": %" PRIu64 "}", k ? ", " : "", o->value_ns, o->time_ns,
			o->cycle);
	}
	fprintf(f, "]}%s\n", last ? "" : ",");
}

/* json_document - the whole result document */
static void json_document(FILE *f, const struct run *r)
{
	fprintf(f, "{\n  \"format\": \"rtvirt-result\",\n  \"version\": %d,\n  ", RESULT_VERSION);
	key_str(f, "tool", TOOL_VERSION, ",\n  ");
	key_str(f, "command", r->command, ",\n  ");
	key_u64(f, "start_realtime_ns", r->start_realtime_ns, ",\n  ");
	key_u64(f, "start_monotonic_ns", r->start_monotonic_ns, ",\n  ");
	key_u64(f, "duration_ns", r->duration_ns, ",\n  ");
	key_str(f, "stop_reason", stop_names[r->stop_reason], ",\n");
	json_params(f, r);
	json_sysinfo(f, &r->sys);
	fputs("  \"pm_qos\": {", f);
	key_bool(f, "held", r->qos.held, ", ");
	fprintf(f, "\"value_us\": %d, ", (int)r->qos.value_us);
	key_str(f, "error", r->qos.error, "},\n");
	json_labels(f, r->opts);
	fputs("  \"threads\": [\n", f);
	for (int i = 0; i < r->nthreads; i++)
		json_thread(f, &r->threads[i], i == r->nthreads - 1);
	fputs("  ]", f);
	if (r->brk.hit)		/* only when -b fired, as in the record */
		fprintf(f, ",\n  \"break\": {\"threshold_us\": %u, \"thread\": %d, \"cycle\": %"
			PRIu64 ", \"value_ns\": %" PRIu64 "}", r->opts->break_us, r->brk.thread,
			r->brk.cycle, r->brk.value_ns);
	fputs("\n}\n", f);
}

/* json_render_to_file - render a document into memory, write it to path ("-": stdout) */
int json_render_to_file(const struct run *r, void (*render)(FILE *, const struct run *),
			const char *path, char *err, size_t size)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int rc;

	if (!f) {
		snprintf(err, size, "JSON output: %s", strerror(errno));
		return -1;
	}
	render(f, r);
	if (fclose(f)) {
		free(text);
		snprintf(err, size, "JSON output: %s", strerror(errno));
		return -1;
	}
	rc = write_file_atomic(path, text, len, err, size);
	free(text);
	return rc;
}

/* json_write - --result-json: the result document to path ("-": stdout); -1 with err */
int json_write(const struct run *r, const char *path, char *err, size_t size)
{
	return json_render_to_file(r, json_document, path, err, size);
}
