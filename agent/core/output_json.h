/* output_json.h - --json: the result as JSON, the 1:1 mirror of the binary record. */
#ifndef RTVIRT_OUTPUT_JSON_H
#define RTVIRT_OUTPUT_JSON_H

#include <stddef.h>

struct run;

int json_write(const struct run *r, const char *path, char *err, size_t size);

#endif
