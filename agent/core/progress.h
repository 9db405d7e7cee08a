/* progress.h - --progress-fd: key=value snapshot lines for the agent's live view. */
#ifndef RTVIRT_PROGRESS_H
#define RTVIRT_PROGRESS_H

#include <stdint.h>

struct run;

struct progress {
	int fd;			/* -1: disabled (also after the reader went away) */
	uint64_t seq;		/* snapshots written */
};

void progress_init(struct progress *p, int fd);
void progress_start(struct progress *p, const struct run *r);
void progress_snapshot(struct progress *p, const struct run *r, uint64_t now_ns);
void progress_done(int fd, const struct run *r, int status);

#endif
