/* strutil.h - string helpers: UTF-8 sanitising, JSON escaping, small file reads. */
#ifndef RTVIRT_STRUTIL_H
#define RTVIRT_STRUTIL_H

#include <stddef.h>
#include <stdio.h>

void utf8_sanitize(char *s);
void json_put_string(FILE *f, const char *s);
int read_first_line(const char *path, char *out, size_t size);

#endif
