/* fcntl.h - open() of the inmate's one device file, the ivshmem read-write section. */
#ifndef RTVIRT_INMATE_FCNTL_H
#define RTVIRT_INMATE_FCNTL_H

#define O_RDWR 2

int open(const char *path, int flags, ...);

#endif
