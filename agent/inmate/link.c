/* link.c - find the ivshmem 2.0 device, map its sections, lay out the rtvirt region in the
 * read-write section and move bytes through its mailboxes (docs/inmate.md).
 *
 * The root cell is treated as a hostile peer: its tail and head counters are checked against
 * the mailbox capacity before they are used, and a command that is out of range is ignored.
 */
#include <inmate.h>

#include "../core/ivshmem_format.h"
#include "devfile.h"
#include "link.h"
#include "timer_loop.h"

#define IVSHMEM_VENDOR 0x110a
#define IVSHMEM_DEVICE 0x4106
#define IVSHMEM_REGS_BASE 0xff000000UL
#define IVSHMEM_REG_ID 0x00
#define IVSHMEM_REG_STATE 0x10
#define IVSHMEM_CAP_STATE_TAB_SZ 0x04
#define IVSHMEM_CAP_RW_SECTION_SZ 0x08
#define IVSHMEM_CAP_ADDRESS 0x18
#define MAILBOX_HEAD 0
#define MAILBOX_TAIL 64
#define REGION_STATE_INITIALISING 0

static volatile uint64_t *word(unsigned char *p, size_t off)
{
	return (volatile uint64_t *)(void *)(p + off);
}

static volatile uint32_t *half(unsigned char *p, size_t off)
{
	return (volatile uint32_t *)(void *)(p + off);
}

static uint64_t cfg_read64(u16 bdf, unsigned int addr)
{
	return pci_read_config(bdf, addr, 4) | ((uint64_t)pci_read_config(bdf, addr + 4, 4) << 32);
}

/* map_device - enable the device, map registers and shared memory; 0 or -1 */
static int map_device(struct link *l, int bdf)
{
	int cap = pci_find_cap(bdf, PCI_CAP_VENDOR);
	void *regs = (void *)IVSHMEM_REGS_BASE;
	uint64_t base, state_size;

	if (cap < 0) {
		printk("rtvirt-inmate: ivshmem device without its vendor capability\n");
		return -1;
	}
	pci_write_config(bdf, PCI_CFG_BAR, IVSHMEM_REGS_BASE, 4);
	pci_write_config(bdf, PCI_CFG_COMMAND, PCI_CMD_MEM, 2);
	map_range(regs, PAGE_SIZE, MAP_UNCACHED);
	l->peer_id = mmio_read32(regs + IVSHMEM_REG_ID);
	state_size = pci_read_config(bdf, cap + IVSHMEM_CAP_STATE_TAB_SZ, 4);
	l->size = cfg_read64(bdf, cap + IVSHMEM_CAP_RW_SECTION_SZ);
	base = cfg_read64(bdf, cap + IVSHMEM_CAP_ADDRESS);
	l->region = (unsigned char *)(unsigned long)(base + state_size);
	map_range(l->region, l->size, MAP_CACHED);
	mmio_write32(regs + IVSHMEM_REG_STATE, l->peer_id + 1);
	return 0;
}

/* init_region - write the rtvirt header and empty mailboxes (a new generation) */
static void init_region(struct link *l)
{
	unsigned char *r = l->region;
	uint32_t generation = memcmp(r, IVSHMEM_MAGIC, IVSHMEM_MAGIC_SIZE) ? 1 :
		*half(r, IVSHMEM_HDR_GENERATION) + 1;

	*half(r, IVSHMEM_HDR_STATE) = REGION_STATE_INITIALISING;
	memset(r + CELL_REQUEST_OFFSET, 0, CELL_MAILBOX_CTL_SIZE);
	memset(r + CELL_RESPONSE_OFFSET, 0, CELL_MAILBOX_CTL_SIZE);
	memset(r + CELL_SAMPLES_OFFSET, 0, IVSHMEM_STREAM_SIZE);
	memset(r + IVSHMEM_MAGIC_SIZE, 0, IVSHMEM_HEADER_SIZE - IVSHMEM_MAGIC_SIZE);
	memcpy(r, IVSHMEM_MAGIC, IVSHMEM_MAGIC_SIZE);
	*half(r, IVSHMEM_HDR_VERSION) = IVSHMEM_VERSION;
	*half(r, IVSHMEM_HDR_HEADER_SIZE) = IVSHMEM_HEADER_SIZE;
	*word(r, IVSHMEM_HDR_REGION_SIZE) = l->size;
	*half(r, IVSHMEM_HDR_GENERATION) = generation ? generation : 1;
	*word(r, IVSHMEM_HDR_REQUEST_OFFSET) = CELL_REQUEST_OFFSET;
	*word(r, IVSHMEM_HDR_REQUEST_SIZE) = CELL_REQUEST_SIZE;
	*word(r, IVSHMEM_HDR_RESPONSE_OFFSET) = CELL_RESPONSE_OFFSET;
	*word(r, IVSHMEM_HDR_RESPONSE_SIZE) = CELL_RESPONSE_SIZE;
	*word(r, IVSHMEM_HDR_SAMPLES_OFFSET) = CELL_SAMPLES_OFFSET;
	*word(r, IVSHMEM_HDR_SAMPLES_SIZE) = l->size - CELL_SAMPLES_OFFSET;
	__atomic_store_n(half(r, IVSHMEM_HDR_STATE), IVSHMEM_STATE_READY, __ATOMIC_RELEASE);
}

/* link_open - find the link, lay out the region and publish the device file; 0 or -1 */
int link_open(struct link *l)
{
	int bdf;

	memset(l, 0, sizeof(*l));
	pci_init();
	bdf = pci_find_device(IVSHMEM_VENDOR, IVSHMEM_DEVICE, 0);
	if (bdf < 0) {
		printk("rtvirt-inmate: no ivshmem device in this cell\n");
		return -1;
	}
	if (map_device(l, bdf))
		return -1;
	if (l->size < CELL_SAMPLES_OFFSET + 4096) {
		printk("rtvirt-inmate: read-write section of %ld bytes is too small\n",
		       (long)l->size);
		return -1;
	}
	init_region(l);
	devfile_bind(LINK_DEVICE, l->region, l->size);
	printk("rtvirt-inmate: link at %p, %ld bytes, peer %d\n", l->region, (long)l->size,
	       (int)l->peer_id);
	return 0;
}

/* link_beat - count the region's heartbeat up: the inmate is alive */
void link_beat(struct link *l)
{
	__atomic_store_n(word(l->region, IVSHMEM_HDR_HEARTBEAT), ++l->heartbeat,
			 __ATOMIC_RELEASE);
}

/* command_valid - whether every field of a command lies in its documented range */
static int command_valid(const struct cell_command *c)
{
	return !memcmp(c->magic, CELL_COMMAND_MAGIC, 4) &&
		c->interval_us >= CELL_MIN_INTERVAL_US && c->interval_us <= CELL_MAX_INTERVAL_US &&
		c->histogram_us >= 1 && c->histogram_us <= CELL_MAX_HISTOGRAM_US &&
		c->loops >= 1 && c->loops <= CELL_MAX_LOOPS &&
		c->overflow_cap <= CELL_MAX_OVERFLOW_CAP;
}

/* link_next_command - take one command from the request mailbox; 1 if cmd holds a valid one */
int link_next_command(struct link *l, struct cell_command *cmd)
{
	unsigned char *box = l->region + CELL_REQUEST_OFFSET;
	const uint64_t capacity = CELL_REQUEST_SIZE - CELL_MAILBOX_CTL_SIZE;
	uint64_t head = __atomic_load_n(word(box, MAILBOX_HEAD), __ATOMIC_ACQUIRE);
	unsigned char *bytes = (unsigned char *)cmd;

	if (head - l->request_tail > capacity) {
		printk("rtvirt-inmate: request mailbox head %ld is bogus, dropping it\n", (long)head);
		l->request_tail = head;
	}
	if (head - l->request_tail < CELL_COMMAND_SIZE) {
		__atomic_store_n(word(box, MAILBOX_TAIL), l->request_tail, __ATOMIC_RELEASE);
		return 0;
	}
	for (unsigned int i = 0; i < CELL_COMMAND_SIZE; i++)
		bytes[i] = box[CELL_MAILBOX_CTL_SIZE + (l->request_tail + i) % capacity];
	l->request_tail += CELL_COMMAND_SIZE;
	__atomic_store_n(word(box, MAILBOX_TAIL), l->request_tail, __ATOMIC_RELEASE);
	if (!command_valid(cmd)) {
		printk("rtvirt-inmate: ignoring a malformed or out-of-range command\n");
		return 0;
	}
	return 1;
}

/* link_send - put data into the response mailbox, waiting while the root cell drains it */
void link_send(struct link *l, const uint8_t *data, size_t len)
{
	unsigned char *box = l->region + CELL_RESPONSE_OFFSET;
	const uint64_t capacity = CELL_RESPONSE_SIZE - CELL_MAILBOX_CTL_SIZE;
	size_t sent = 0;

	while (sent < len) {
		uint64_t tail = __atomic_load_n(word(box, MAILBOX_TAIL), __ATOMIC_ACQUIRE);
		uint64_t room = l->response_head - tail <= capacity ?
			capacity - (l->response_head - tail) : 0;

		if (!room) {
			link_beat(l);
			idle_wait(1000);
			continue;
		}
		for (; room && sent < len; room--, sent++, l->response_head++)
			box[CELL_MAILBOX_CTL_SIZE + l->response_head % capacity] = data[sent];
		__atomic_store_n(word(box, MAILBOX_HEAD), l->response_head, __ATOMIC_RELEASE);
	}
}
