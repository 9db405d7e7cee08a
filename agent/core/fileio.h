/* fileio.h - result files written tmp -> fsync -> rename, or to stdout for "-". */
#ifndef RTVIRT_FILEIO_H
#define RTVIRT_FILEIO_H

#include <stddef.h>

int write_file_atomic(const char *path, const void *data, size_t len, char *err, size_t errsize);

#endif
