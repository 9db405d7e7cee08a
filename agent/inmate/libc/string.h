/* string.h - memory and string functions: the Jailhouse inmate library's, plus strerror. */
#ifndef RTVIRT_INMATE_STRING_H
#define RTVIRT_INMATE_STRING_H

#include <stddef.h>

void *memset(void *s, int c, unsigned long n);
void *memcpy(void *d, const void *s, unsigned long n);
int memcmp(const void *s1, const void *s2, unsigned long n);
unsigned long strlen(const char *s);
int strncmp(const char *s1, const char *s2, unsigned long n);
char *strrchr(const char *s, int c);
const char *strerror(int error);

#endif
