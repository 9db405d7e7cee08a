// SPDX-License-Identifier: GPL-2.0
/*
 * Parse "<N>[us|ms|cyc] [cpus=<list>|all]"
 *
 * Strict on purpose: one unsigned decimal number of at least 1, an optional unit glued to it,
 * optionally one blank-separated "cpus=" word, optional blanks and one trailing newline (what
 * echo adds). Anything else is -EINVAL; a number too large for
 * 64 bits is -ERANGE. CPU numbers at or above @nr_cpus are -EINVAL: they cannot be online.
 */
#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/string.h>

#include "blocksys_cmd.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static const char *skip_blanks(const char *text)
{
	while (is_blank(*text))
		text++;
	return text;
}

/* parse_u64 - read decimal digits at *@text into @value, advancing *@text past them */
static int parse_u64(const char **text, u64 *value)
{
	const char *pos = *text;
	u64 result = 0;

	if (!is_digit(*pos))
		return -EINVAL;
	while (is_digit(*pos)) {
		unsigned int digit = *pos - '0';

		if (result > (U64_MAX - digit) / 10)
			return -ERANGE;
		result = result * 10 + digit;
		pos++;
	}
	*text = pos;
	*value = result;
	return 0;
}

/* parse_unit - read an optional unit suffix at *@text */
static int parse_unit(const char **text, enum blocksys_unit *unit)
{
	static const struct {
		const char *name;
		enum blocksys_unit unit;
	} units[] = {
		{ "us", BLOCKSYS_UNIT_US },
		{ "ms", BLOCKSYS_UNIT_MS },
		{ "cyc", BLOCKSYS_UNIT_CYC },
	};
	unsigned int i;

	*unit = BLOCKSYS_UNIT_US;
	if (!**text || is_blank(**text) || **text == '\n')
		return 0;
	for (i = 0; i < ARRAY_SIZE(units); i++) {
		size_t len = strlen(units[i].name);

		if (!strncmp(*text, units[i].name, len)) {
			*unit = units[i].unit;
			*text += len;
			return 0;
		}
	}
	return -EINVAL;
}

/* parse_cpu - one CPU number below @nr_cpus */
static int parse_cpu(const char **text, unsigned int nr_cpus, unsigned int *cpu)
{
	u64 value;
	int err = parse_u64(text, &value);

	if (err)
		return -EINVAL;
	if (value >= nr_cpus)
		return -EINVAL;
	*cpu = value;
	return 0;
}

/* parse_cpu_list - "A[-B][,C[-D]]..." into @cpu_bits, ranges ascending */
static int parse_cpu_list(const char **text, unsigned long *cpu_bits,
			  unsigned int nr_cpus)
{
	unsigned int first, last, cpu;
	int err;

	for (;;) {
		err = parse_cpu(text, nr_cpus, &first);
		if (err)
			return err;
		last = first;
		if (**text == '-') {
			(*text)++;
			err = parse_cpu(text, nr_cpus, &last);
			if (err)
				return err;
			if (last < first)
				return -EINVAL;
		}
		for (cpu = first; cpu <= last; cpu++)
			__set_bit(cpu, cpu_bits);
		if (**text != ',')
			return 0;
		(*text)++;
	}
}

/* parse_cpus - a "cpus=all" or "cpus=<list>" word */
static int parse_cpus(const char **text, struct blocksys_cmd *cmd,
		      unsigned long *cpu_bits, unsigned int nr_cpus)
{
	static const char prefix[] = "cpus=";

	if (strncmp(*text, prefix, strlen(prefix)))
		return -EINVAL;
	*text += strlen(prefix);
	if (!strncmp(*text, "all", 3)) {
		cmd->cpus = BLOCKSYS_CPUS_ALL;
		*text += 3;
		return 0;
	}
	cmd->cpus = BLOCKSYS_CPUS_LIST;
	return parse_cpu_list(text, cpu_bits, nr_cpus);
}

static bool at_end(const char *text)
{
	return !*text || (text[0] == '\n' && !text[1]);
}

/**
 * blocksys_cmd_parse - parse one command written to /dev/blocksys
 * @text: NUL-terminated command
 * @cmd: filled with the amount, unit and CPU selection
 * @cpu_bits: zeroed bitmap of @nr_cpus bits; receives the listed CPUs
 * @nr_cpus: number of possible CPU ids
 *
 * Return: 0, -EINVAL for a malformed command or CPU number, -ERANGE for a number that does
 * not fit in 64 bits.
 */
int blocksys_cmd_parse(const char *text, struct blocksys_cmd *cmd,
		       unsigned long *cpu_bits, unsigned int nr_cpus)
{
	int err;

	text = skip_blanks(text);
	err = parse_u64(&text, &cmd->amount);
	if (err)
		return err;
	if (!cmd->amount)
		return -EINVAL;
	err = parse_unit(&text, &cmd->unit);
	if (err)
		return err;
	cmd->cpus = BLOCKSYS_CPUS_WRITER;
	if (at_end(text))
		return 0;
	if (!is_blank(*text))
		return -EINVAL;
	text = skip_blanks(text);
	if (at_end(text))
		return 0;
	err = parse_cpus(&text, cmd, cpu_bits, nr_cpus);
	if (err)
		return err;
	return at_end(skip_blanks(text)) ? 0 : -EINVAL;
}
