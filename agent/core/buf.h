/* buf.h - growable byte buffer with little-endian and LEB128 encoders. */
#ifndef RTVIRT_BUF_H
#define RTVIRT_BUF_H

#include <stddef.h>
#include <stdint.h>

struct buf {
	uint8_t *data;
	size_t len;
	size_t cap;
	int failed;		/* an allocation failed; the content is incomplete */
};

void buf_free(struct buf *b);
void buf_bytes(struct buf *b, const void *p, size_t n);
void buf_u8(struct buf *b, uint8_t v);
void buf_u16(struct buf *b, uint16_t v);
void buf_u32(struct buf *b, uint32_t v);
void buf_u64(struct buf *b, uint64_t v);
void buf_uleb(struct buf *b, uint64_t v);
void buf_str16(struct buf *b, const char *s);
void buf_put_u32_at(struct buf *b, size_t off, uint32_t v);
uint32_t crc32_zlib(const uint8_t *p, size_t n);

#endif
