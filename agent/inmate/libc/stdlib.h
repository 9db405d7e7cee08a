/* stdlib.h - the part of the C library the core's sources use, for the bare-metal inmate. */
#ifndef RTVIRT_INMATE_STDLIB_H
#define RTVIRT_INMATE_STDLIB_H

#include <stddef.h>

void *malloc(size_t size);
void *calloc(size_t count, size_t size);
void *realloc(void *p, size_t size);
void free(void *p);
void qsort(void *base, size_t count, size_t size, int (*cmp)(const void *, const void *));

/* arena_reset - forget every allocation (the inmate allocates per run, then starts over) */
void arena_reset(void);

#endif
