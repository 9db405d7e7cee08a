/* libc.c - the little C library the core's sources need inside a bare-metal inmate.
 *
 * Memory comes from a static arena that is reset before each run (nothing lives across
 * runs), qsort is an insertion sort (it sorts at most the overflow samples of one run), and
 * snprintf knows the conversions the core's messages use: %s %c %d %i %u %x with the
 * l, ll and z modifiers.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_SIZE (512 * 1024)
#define ARENA_ALIGN 16

struct chunk {
	size_t size;
	size_t pad;		/* keeps the payload ARENA_ALIGN-aligned */
};

static unsigned char arena[ARENA_SIZE] __attribute__((aligned(ARENA_ALIGN)));
static size_t arena_used;
int errno;

void arena_reset(void)
{
	arena_used = 0;
}

void *malloc(size_t size)
{
	size_t need = (sizeof(struct chunk) + size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	struct chunk *c;

	if (size > ARENA_SIZE || need > ARENA_SIZE - arena_used) {
		errno = ENOMEM;
		return NULL;
	}
	c = (struct chunk *)(void *)(arena + arena_used);
	c->size = size;
	arena_used += need;
	return c + 1;
}

void *calloc(size_t count, size_t size)
{
	void *p;

	if (size && count > SIZE_MAX / size)
		return NULL;
	p = malloc(count * size);
	if (p)
		memset(p, 0, count * size);
	return p;
}

void *realloc(void *p, size_t size)
{
	struct chunk *old = p ? (struct chunk *)p - 1 : NULL;
	void *q;

	if (old && size <= old->size)
		return p;
	q = malloc(size);
	if (q && old)
		memcpy(q, p, old->size);
	return q;
}

/* free - the arena is released as a whole by arena_reset */
void free(void *p)
{
	(void)p;
}

void qsort(void *base, size_t count, size_t size, int (*cmp)(const void *, const void *))
{
	unsigned char *b = base, tmp[64];

	if (size > sizeof(tmp))
		return;
	for (size_t i = 1; i < count; i++) {
		size_t j = i;

		memcpy(tmp, b + i * size, size);
		for (; j > 0 && cmp(b + (j - 1) * size, tmp) > 0; j--)
			memcpy(b + j * size, b + (j - 1) * size, size);
		memcpy(b + j * size, tmp, size);
	}
}

char *strrchr(const char *s, int c)
{
	const char *found = NULL;

	for (; *s; s++)
		if (*s == (char)c)
			found = s;
	return (char *)(c ? found : s);
}

const char *strerror(int error)
{
	return error == ENOMEM ? "out of memory" : error == EINVAL ? "invalid argument"
		: error == ENOENT ? "no such device" : "error";
}

struct out {
	char *s;
	size_t size;
	size_t len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->s[o->len] = c;
	o->len++;
}

static void put_number(struct out *o, unsigned long long v, unsigned int base, int negative)
{
	char digits[24];
	int n = 0;

	do {
		digits[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (negative)
		put(o, '-');
	while (n)
		put(o, digits[--n]);
}

/* put_integer - one %d/%i/%u/%x conversion with its length modifier (0, 'l', 'L' for ll) */
static void put_integer(struct out *o, char conv, char length, va_list *ap)
{
	long long s;
	unsigned long long u;

	if (conv == 'd' || conv == 'i') {
		s = length == 'L' ? va_arg(*ap, long long)
			: length == 'l' ? va_arg(*ap, long) : va_arg(*ap, int);
		put_number(o, s < 0 ? 0ULL - (unsigned long long)s : (unsigned long long)s, 10, s < 0);
		return;
	}
	u = length == 'L' ? va_arg(*ap, unsigned long long)
		: length == 'l' ? va_arg(*ap, unsigned long) : va_arg(*ap, unsigned int);
	put_number(o, u, conv == 'x' ? 16 : 10, 0);
}

int snprintf(char *s, size_t size, const char *fmt, ...)
{
	struct out o = { s, size, 0 };
	va_list ap;

	va_start(ap, fmt);
	for (; *fmt; fmt++) {
		char length = 0;

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		fmt++;
		if (*fmt == 'z' || *fmt == 'l') {
			length = 'l';
			fmt++;
			if (*fmt == 'l') {
				length = 'L';
				fmt++;
			}
		}
		if (*fmt == 's') {
			for (const char *p = va_arg(ap, const char *); *p; p++)
				put(&o, *p);
		} else if (*fmt == 'c') {
			put(&o, (char)va_arg(ap, int));
		} else if (*fmt == 'd' || *fmt == 'i' || *fmt == 'u' || *fmt == 'x') {
			put_integer(&o, *fmt, length, &ap);
		} else {
			put(&o, '%');
			if (!*fmt)
				break;
			put(&o, *fmt);
		}
	}
	va_end(ap);
	if (size)
		s[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}
