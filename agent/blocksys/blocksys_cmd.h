/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The command written to /dev/blocksys, parsed
 *
 * The parser depends on nothing but <linux/types.h>, <linux/errno.h> and __set_bit(), so the
 * unit tests compile it in user space against a three-header shim.
 */
#ifndef BLOCKSYS_CMD_H
#define BLOCKSYS_CMD_H

#include <linux/types.h>

/* Longest command accepted, without the terminating NUL. */
#define BLOCKSYS_CMD_MAX 255

enum blocksys_unit {
	BLOCKSYS_UNIT_US,
	BLOCKSYS_UNIT_MS,
	BLOCKSYS_UNIT_CYC,
};

enum blocksys_cpus {
	BLOCKSYS_CPUS_WRITER,	/* no cpus= given: the writer's CPU */
	BLOCKSYS_CPUS_LIST,	/* cpus=<list>: the bits set by the parser */
	BLOCKSYS_CPUS_ALL,	/* cpus=all: every online CPU */
};

struct blocksys_cmd {
	u64 amount;		/* the number as written, in @unit */
	enum blocksys_unit unit;
	enum blocksys_cpus cpus;
};

int blocksys_cmd_parse(const char *text, struct blocksys_cmd *cmd,
		       unsigned long *cpu_bits, unsigned int nr_cpus);

#endif /* BLOCKSYS_CMD_H */
