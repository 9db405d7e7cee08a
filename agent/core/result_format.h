/* result_format.h - layout constants of the binary result record (docs/result-format.md).
 *
 * The record is defined once, with construct, in agent/rtvirt_agent/wire/result.py. This header
 * carries the numbers the C writer needs; tests/core checks every #define here against that
 * schema, and result_writer.c checks the sizes it writes against the *_SIZE values.
 */
#ifndef RTVIRT_RESULT_FORMAT_H
#define RTVIRT_RESULT_FORMAT_H

#define RESULT_MAGIC "RTVR"
#define RESULT_MAGIC_SIZE 4
#define RESULT_VERSION 1

/* magic, version u16, flags u16, length u32 (whole record, CRC included) */
#define RESULT_HEADER_SIZE 12
#define RESULT_LENGTH_OFFSET 8
#define RESULT_CRC_SIZE 4

/* header flag: the record ends with a break trailer (-b fired) */
#define RESULT_FLAG_BREAK 1
/* break trailer: threshold_us u32, thread u16, cycle u64, value_ns u64 */
#define RESULT_BREAK_SIZE 22

/* start_realtime_ns, start_monotonic_ns, duration_ns (u64 each), stop_reason u8 */
#define RESULT_TIMING_SIZE 25
/* interval_us u32, distance_us u32, loops u64, duration_limit_s u64, histogram_us u32,
 * priority u8, policy u8, smp u8, mlockall u8, overflow_cap u32 (affinity string follows) */
#define RESULT_PARAMS_FIXED_SIZE 36
/* index u16, cpu i16, tid u32, policy u8, priority u8, interval_us u32, then nine u64:
 * cycles, min_ns, avg_ns, max_ns, missed, p50_ns, p99_ns, p99_9_ns, p99_99_ns */
#define RESULT_THREAD_HEAD_SIZE 86
/* bucket_ns u32, buckets u32 (then the zero-run-length segments) */
#define RESULT_HIST_HEAD_SIZE 8
/* value_ns, time_ns, cycle: u64 each */
#define RESULT_SAMPLE_SIZE 24

#define RESULT_STOP_COMPLETED 0
#define RESULT_STOP_SIGNAL 1
#define RESULT_STOP_ERROR 2
#define RESULT_STOP_BREAK 3

#define RESULT_POLICY_OTHER 0
#define RESULT_POLICY_FIFO 1
#define RESULT_POLICY_RR 2

#endif
