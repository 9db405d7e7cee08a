/* result_writer.c - --result: the binary result record (docs/result-format.md).
 *
 * Field by field in the order of the construct schema in rtvirt_agent/wire/result.py, little
 * endian; the fixed-size parts are checked against result_format.h as they are written.
 */
#include <stdio.h>
#include <string.h>

#include "fileio.h"
#include "result_format.h"
#include "result_writer.h"
#include "run.h"

/* wire_policy - the record's policy code */
static uint8_t wire_policy(int policy)
{
	return policy == SCHED_FIFO ? RESULT_POLICY_FIFO
		: policy == SCHED_RR ? RESULT_POLICY_RR : RESULT_POLICY_OTHER;
}

/* encode_params - run parameters: fixed part, then the affinity string */
static int encode_params(struct buf *b, const struct run *r)
{
	const struct measure_opts *o = r->opts;
	size_t start = b->len;

	buf_u32(b, o->interval_us);
	buf_u32(b, o->distance_us);
	buf_u64(b, o->loops);
	buf_u64(b, o->duration_s);
	buf_u32(b, o->histogram_us);
	buf_u8(b, (uint8_t)r->priority);
	buf_u8(b, wire_policy(r->policy));
	buf_u8(b, (uint8_t)!!o->smp);
	buf_u8(b, (uint8_t)!!o->mlockall);
	buf_u32(b, o->overflow_cap);
	if (!b->failed && b->len - start != RESULT_PARAMS_FIXED_SIZE)
		return -1;
	buf_str16(b, o->affinity_arg);
	return 0;
}

/* encode_sysinfo - the target snapshot */
static void encode_sysinfo(struct buf *b, const struct sysinfo_snapshot *s)
{
	buf_str16(b, s->release);
	buf_str16(b, s->version);
	buf_str16(b, s->machine);
	buf_str16(b, s->nodename);
	buf_str16(b, s->cpus_online);
	buf_u16(b, s->cpu_count);
	buf_u8(b, (uint8_t)!!s->preempt_rt);
	buf_str16(b, s->cmdline);
	buf_str16(b, s->clocksource);
}

/* encode_labels - u16 count, then key/value string pairs */
static void encode_labels(struct buf *b, const struct measure_opts *o)
{
	buf_u16(b, (uint16_t)o->nlabels);
	for (int i = 0; i < o->nlabels; i++) {
		buf_u16(b, (uint16_t)o->labels[i].key_len);
		buf_bytes(b, o->labels[i].key, o->labels[i].key_len);
		buf_str16(b, o->labels[i].value);
	}
}

/* encode_histogram - width, count, then maximal runs of non-zero buckets, each preceded by
 * the number of zero buckets skipped (all LEB128); trailing zeros are implied */
static void encode_histogram(struct buf *b, const struct histogram *h)
{
	uint32_t segments = 0, b0 = 0;

	buf_u32(b, h->bucket_ns);
	buf_u32(b, h->buckets);
	for (uint32_t i = 0; i < h->buckets; i++)
		if (h->counts[i] && (i == 0 || !h->counts[i - 1]))
			segments++;
	buf_uleb(b, segments);
	for (uint32_t i = 0; i < h->buckets;) {
		uint32_t end;

		if (!h->counts[i]) {
			i++;
			continue;
		}
		for (end = i; end < h->buckets && h->counts[end]; end++)
			;
		buf_uleb(b, i - b0);
		buf_uleb(b, end - i);
		for (uint32_t k = i; k < end; k++)
			buf_uleb(b, h->counts[k]);
		b0 = i = end;
	}
}

/* encode_thread - one thread: fixed head, histogram, overflow total and samples */
static int encode_thread(struct buf *b, const struct measure_thread *t)
{
	const struct thread_stats *s = &t->st;
	size_t start = b->len;

	buf_u16(b, (uint16_t)t->index);
	buf_u16(b, (uint16_t)(int16_t)t->cpu);
	buf_u32(b, (uint32_t)t->tid);
	buf_u8(b, wire_policy(t->policy));
	buf_u8(b, (uint8_t)t->priority);
	buf_u32(b, t->interval_us);
	buf_u64(b, s->cycles);
	buf_u64(b, s->cycles ? s->min_ns : 0);
	buf_u64(b, s->cycles ? s->sum_ns / s->cycles : 0);
	buf_u64(b, s->max_ns);
	buf_u64(b, s->missed);
	buf_u64(b, t->p50_ns);
	buf_u64(b, t->p99_ns);
	buf_u64(b, t->p99_9_ns);
	buf_u64(b, t->p99_99_ns);
	if (!b->failed && b->len - start != RESULT_THREAD_HEAD_SIZE)
		return -1;
	encode_histogram(b, &t->hist);
	buf_u64(b, t->over.total);
	buf_u32(b, t->over.count);
	for (uint32_t k = 0; k < t->over.count; k++) {
		buf_u64(b, t->over.samples[k].value_ns);
		buf_u64(b, t->over.samples[k].time_ns);
		buf_u64(b, t->over.samples[k].cycle);
	}
	return 0;
}

/* encode_break - -b's trailer: which thread, cycle and latency exceeded the threshold */
static int encode_break(struct buf *b, const struct break_hit *h, uint32_t threshold_us)
{
	size_t start = b->len;

	buf_u32(b, threshold_us);
	buf_u16(b, (uint16_t)h->thread);
	buf_u64(b, h->cycle);
	buf_u64(b, h->value_ns);
	return !b->failed && b->len - start != RESULT_BREAK_SIZE ? -1 : 0;
}

/* result_encode - the whole record into b (length and CRC filled in); -1 on failure */
int result_encode(const struct run *r, struct buf *b)
{
	size_t timing;

	buf_bytes(b, RESULT_MAGIC, RESULT_MAGIC_SIZE);
	buf_u16(b, RESULT_VERSION);
	buf_u16(b, r->brk.hit ? RESULT_FLAG_BREAK : 0);
	buf_u32(b, 0);		/* length, patched below */
	if (b->len != RESULT_HEADER_SIZE)
		return -1;
	buf_str16(b, TOOL_VERSION);
	buf_str16(b, r->command);
	timing = b->len;
	buf_u64(b, r->start_realtime_ns);
	buf_u64(b, r->start_monotonic_ns);
	buf_u64(b, r->duration_ns);
	buf_u8(b, (uint8_t)r->stop_reason);
	if (!b->failed && b->len - timing != RESULT_TIMING_SIZE)
		return -1;
	if (encode_params(b, r))
		return -1;
	encode_sysinfo(b, &r->sys);
	buf_u8(b, (uint8_t)!!r->qos.held);
	buf_u32(b, (uint32_t)r->qos.value_us);
	buf_str16(b, r->qos.error);
	encode_labels(b, r->opts);
	buf_u16(b, (uint16_t)r->nthreads);
	for (int i = 0; i < r->nthreads; i++)
		if (encode_thread(b, &r->threads[i]))
			return -1;
	if (r->brk.hit && encode_break(b, &r->brk, r->opts->break_us))
		return -1;
	buf_put_u32_at(b, RESULT_LENGTH_OFFSET, (uint32_t)(b->len + RESULT_CRC_SIZE));
	if (b->failed)
		return -1;
	buf_u32(b, crc32_zlib(b->data, b->len));
	return b->failed ? -1 : 0;
}

/* result_write - encode the record and write it to path ("-": stdout); -1 with err */
int result_write(const struct run *r, const char *path, char *err, size_t size)
{
	struct buf b = { 0 };
	int rc;

	if (result_encode(r, &b)) {
		snprintf(err, size, "cannot encode the result record (out of memory or a bug)");
		buf_free(&b);
		return -1;
	}
	rc = write_file_atomic(path, b.data, b.len, err, size);
	buf_free(&b);
	return rc;
}
