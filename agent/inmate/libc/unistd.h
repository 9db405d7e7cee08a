/* unistd.h - close(). */
#ifndef RTVIRT_INMATE_UNISTD_H
#define RTVIRT_INMATE_UNISTD_H

int close(int fd);

#endif
