/* link.h - the inmate's end of its ivshmem link to the root cell (docs/inmate.md). */
#ifndef RTVIRT_INMATE_LINK_H
#define RTVIRT_INMATE_LINK_H

#include <stddef.h>
#include <stdint.h>

#include "cell_link.h"

#define LINK_DEVICE "/dev/rtvirt-link"	/* the name the core's ring writer opens */

struct link {
	unsigned char *region;	/* the read-write section: the rtvirt region */
	size_t size;
	uint32_t peer_id;
	uint64_t heartbeat;
	uint64_t request_tail;	/* bytes of the request mailbox consumed */
	uint64_t response_head;	/* bytes of the response mailbox produced */
};

int link_open(struct link *l);
void link_beat(struct link *l);
int link_next_command(struct link *l, struct cell_command *cmd);
void link_send(struct link *l, const uint8_t *data, size_t len);

#endif
