/* devfile.h - bind the name the core's ivshmem writer opens to the inmate's shared memory. */
#ifndef RTVIRT_INMATE_DEVFILE_H
#define RTVIRT_INMATE_DEVFILE_H

#include <stddef.h>

void devfile_bind(const char *path, void *base, size_t size);

#endif
