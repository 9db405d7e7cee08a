/* buf.c - growable byte buffer with little-endian and LEB128 encoders. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"

/* buf_reserve - make room for n more bytes; marks the buffer failed on ENOMEM */
static int buf_reserve(struct buf *b, size_t n)
{
	size_t cap;
	uint8_t *p;

	if (b->failed)
		return -1;
	if (b->len + n <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < b->len + n)
		cap *= 2;
	p = realloc(b->data, cap);
	if (!p) {
		b->failed = 1;
		return -1;
	}
	b->data = p;
	b->cap = cap;
	return 0;
}

/* buf_free - release the buffer's memory */
void buf_free(struct buf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

/* buf_bytes - append n raw bytes */
void buf_bytes(struct buf *b, const void *p, size_t n)
{
	if (!n || buf_reserve(b, n))
		return;
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

/* buf_u8 - append one byte */
void buf_u8(struct buf *b, uint8_t v)
{
	buf_bytes(b, &v, 1);
}

/* buf_u16 - append a little-endian 16-bit integer */
void buf_u16(struct buf *b, uint16_t v)
{
	uint8_t p[2] = { (uint8_t)v, (uint8_t)(v >> 8) };

	buf_bytes(b, p, sizeof(p));
}

/* buf_u32 - append a little-endian 32-bit integer */
void buf_u32(struct buf *b, uint32_t v)
{
	buf_u16(b, (uint16_t)v);
	buf_u16(b, (uint16_t)(v >> 16));
}

/* buf_u64 - append a little-endian 64-bit integer */
void buf_u64(struct buf *b, uint64_t v)
{
	buf_u32(b, (uint32_t)v);
	buf_u32(b, (uint32_t)(v >> 32));
}

/* buf_uleb - append an unsigned LEB128 integer (construct's VarInt) */
void buf_uleb(struct buf *b, uint64_t v)
{
	do {
		uint8_t byte = v & 0x7f;

		v >>= 7;
		buf_u8(b, byte | (v ? 0x80 : 0));
	} while (v);
}

/* buf_str16 - append a string as u16 length + UTF-8 bytes (cut at 65535 bytes) */
void buf_str16(struct buf *b, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n > 0xffff)
		n = 0xffff;
	buf_u16(b, (uint16_t)n);
	buf_bytes(b, s, n);
}

/* buf_put_u32_at - overwrite a little-endian 32-bit integer at offset off */
void buf_put_u32_at(struct buf *b, size_t off, uint32_t v)
{
	if (b->failed || off + 4 > b->len)
		return;
	b->data[off] = (uint8_t)v;
	b->data[off + 1] = (uint8_t)(v >> 8);
	b->data[off + 2] = (uint8_t)(v >> 16);
	b->data[off + 3] = (uint8_t)(v >> 24);
}

/* crc32_zlib - CRC-32 as computed by zlib.crc32 (reflected polynomial 0xEDB88320) */
uint32_t crc32_zlib(const uint8_t *p, size_t n)
{
	uint32_t crc = 0xffffffffu;

	while (n--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
	}
	return ~crc;
}
