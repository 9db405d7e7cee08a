/* devfile.c - access/open/fstat/mmap of one device file: the ivshmem read-write section.
 *
 * The core's sample-ring writer (agent/core/ivshmem.c) maps its region like a Linux process
 * does; in the inmate the region is physical memory that the cell maps 1:1, so the "file"
 * is a name bound to an address and a size.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "devfile.h"

#define DEVFILE_FD 3

static const char *dev_path;
static void *dev_base;
static size_t dev_size;

void devfile_bind(const char *path, void *base, size_t size)
{
	dev_path = path;
	dev_base = base;
	dev_size = size;
}

int access(const char *path, int mode)
{
	(void)mode;
	if (!dev_path || strlen(path) != strlen(dev_path) ||
	    memcmp(path, dev_path, strlen(path))) {
		errno = ENOENT;
		return -1;
	}
	return 0;
}

int open(const char *path, int flags, ...)
{
	(void)flags;
	return access(path, F_OK) ? -1 : DEVFILE_FD;
}

int close(int fd)
{
	return fd == DEVFILE_FD ? 0 : -1;
}

int fstat(int fd, struct stat *st)
{
	if (fd != DEVFILE_FD) {
		errno = EINVAL;
		return -1;
	}
	st->st_size = (off_t)dev_size;
	return 0;
}

void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset)
{
	(void)addr;
	(void)prot;
	(void)flags;
	if (fd != DEVFILE_FD || offset < 0 || (size_t)offset > dev_size ||
	    length > dev_size - (size_t)offset) {
		errno = EINVAL;
		return MAP_FAILED;
	}
	return (unsigned char *)dev_base + offset;
}

int munmap(void *addr, size_t length)
{
	(void)addr;
	(void)length;
	return 0;
}
