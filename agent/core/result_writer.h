/* result_writer.h - --result: the binary result record (docs/result-format.md). */
#ifndef RTVIRT_RESULT_WRITER_H
#define RTVIRT_RESULT_WRITER_H

#include <stddef.h>

#include "buf.h"

struct run;

int result_encode(const struct run *r, struct buf *b);
int result_write(const struct run *r, const char *path, char *err, size_t size);

#endif
