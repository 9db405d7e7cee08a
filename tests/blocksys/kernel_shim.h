/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-ins for the kernel definitions blocksys_cmd.c uses, force-included by the
 * parser tests (its <linux/...> includes resolve to empty files there, which is also why the
 * errno values are spelled out rather than taken from <errno.h>, whose glibc version includes
 * <linux/errno.h>).
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define EINVAL 22
#define ERANGE 34

typedef uint64_t u64;
#define U64_MAX UINT64_MAX
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define BITS_PER_LONG (8 * sizeof(long))

static inline void __set_bit(unsigned int nr, unsigned long *addr)
{
	addr[nr / BITS_PER_LONG] |= 1UL << (nr % BITS_PER_LONG);
}
