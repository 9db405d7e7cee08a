/* errno.h - the error numbers the core's sources set. */
#ifndef RTVIRT_INMATE_ERRNO_H
#define RTVIRT_INMATE_ERRNO_H

#define ENOENT 2
#define ENOMEM 12
#define EINVAL 22

extern int errno;

#endif
