/* output_text.h - cyclictest's text output: header, T: lines, live display, histogram. */
#ifndef RTVIRT_OUTPUT_TEXT_H
#define RTVIRT_OUTPUT_TEXT_H

#include <stdio.h>

struct run;

void text_header(FILE *f, const struct run *r);
void text_live(FILE *f, struct run *r);
void text_final(FILE *f, struct run *r);

#endif
