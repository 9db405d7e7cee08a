/* sys/stat.h - fstat() reporting the size of the inmate's device file. */
#ifndef RTVIRT_INMATE_SYS_STAT_H
#define RTVIRT_INMATE_SYS_STAT_H

#include <sys/types.h>

struct stat {
	off_t st_size;
};

int fstat(int fd, struct stat *st);

#endif
