/* stdio.h - snprintf for the core's error messages; FILE only as an opaque type. */
#ifndef RTVIRT_INMATE_STDIO_H
#define RTVIRT_INMATE_STDIO_H

#include <stdarg.h>
#include <stddef.h>

typedef struct inmate_file FILE;

int snprintf(char *s, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
