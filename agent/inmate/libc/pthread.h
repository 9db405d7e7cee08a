/* pthread.h - the types the core's headers name; the inmate runs one thread of its own. */
#ifndef RTVIRT_INMATE_PTHREAD_H
#define RTVIRT_INMATE_PTHREAD_H

typedef unsigned long pthread_t;

#endif
