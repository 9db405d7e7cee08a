// SPDX-License-Identifier: GPL-2.0
/*
 * parse_cmd NR_CPUS COMMAND - run blocksys_cmd_parse() on COMMAND and print the result as
 * "rc=<errno name or 0> amount=<n> unit=<us|ms|cyc> cpus=<writer|list|all> bits=<a,b,...>"
 */
#include <stdio.h>
#include <stdlib.h>

#include "blocksys_cmd.h"

#define MAX_CPUS 256

int main(int argc, char **argv)
{
	static const char * const units[] = { "us", "ms", "cyc" };
	static const char * const cpus[] = { "writer", "list", "all" };
	unsigned long bits[MAX_CPUS / BITS_PER_LONG] = { 0 };
	struct blocksys_cmd cmd = { 0 };
	unsigned int nr_cpus, cpu;
	const char *sep = "";
	int rc;

	if (argc != 3 || atoi(argv[1]) <= 0 || atoi(argv[1]) > MAX_CPUS)
		return 2;
	nr_cpus = atoi(argv[1]);
	rc = blocksys_cmd_parse(argv[2], &cmd, bits, nr_cpus);
	printf("rc=%s", rc == 0 ? "0" : rc == -EINVAL ? "EINVAL" : rc == -ERANGE ? "ERANGE" : "?");
	if (rc)
		return 0;
	printf(" amount=%llu unit=%s cpus=%s bits=", (unsigned long long)cmd.amount,
	       units[cmd.unit], cpus[cmd.cpus]);
	for (cpu = 0; cpu < nr_cpus; cpu++) {
		if (bits[cpu / BITS_PER_LONG] & (1UL << (cpu % BITS_PER_LONG))) {
			printf("%s%u", sep, cpu);
			sep = ",";
		}
	}
	putchar('\n');
	return 0;
}
