/* unistd.h - close() and access() of the inmate's one device file. */
#ifndef RTVIRT_INMATE_UNISTD_H
#define RTVIRT_INMATE_UNISTD_H

#define F_OK 0

int close(int fd);
int access(const char *path, int mode);

#endif
