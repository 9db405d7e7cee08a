/* sys/mman.h - mmap() of the inmate's device file: its identity-mapped physical address. */
#ifndef RTVIRT_INMATE_SYS_MMAN_H
#define RTVIRT_INMATE_SYS_MMAN_H

#include <stddef.h>
#include <sys/types.h>

#define PROT_READ 1
#define PROT_WRITE 2
#define MAP_SHARED 1
#define MAP_FAILED ((void *)-1)

void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset);
int munmap(void *addr, size_t length);

#endif
