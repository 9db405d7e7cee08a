/* output_cyclictest.h - --json: the summary in cyclictest 2.x's own JSON layout. */
#ifndef RTVIRT_OUTPUT_CYCLICTEST_H
#define RTVIRT_OUTPUT_CYCLICTEST_H

#include <stddef.h>

struct run;

int cyclictest_json_write(const struct run *r, const char *path, char *err, size_t size);

#endif
