/* output_json.h - --result-json: the result as JSON, the 1:1 mirror of the binary record. */
#ifndef RTVIRT_OUTPUT_JSON_H
#define RTVIRT_OUTPUT_JSON_H

#include <stddef.h>
#include <stdio.h>

struct run;

int json_render_to_file(const struct run *r, void (*render)(FILE *, const struct run *),
			const char *path, char *err, size_t size);
int json_write(const struct run *r, const char *path, char *err, size_t size);

#endif
