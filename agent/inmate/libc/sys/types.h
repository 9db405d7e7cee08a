/* sys/types.h - pid_t and off_t. */
#ifndef RTVIRT_INMATE_SYS_TYPES_H
#define RTVIRT_INMATE_SYS_TYPES_H

typedef int pid_t;
typedef long off_t;

#endif
