// SPDX-License-Identifier: MIT
/*
 * init of the Jailhouse-in-QEMU test (test_jailhouse_qemu.py): loads the driver, enables
 * Jailhouse with the rtvirt QEMU root cell, binds uio_ivshmem to the root's ivshmem links,
 * runs Jailhouse's gic-demo in the rtvirt bare-metal cell on CPU 3, tears everything down
 * and powers off. Every step prints "init: ..." for the test to check.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void load(const char *path)
{
	int fd = open(path, O_RDONLY);
	long ret = syscall(SYS_finit_module, fd, "", 0);
	printf("init: insmod %s -> %ld\n", path, ret);
	close(fd);
}

static int run(char *const argv[])
{
	int status = -1;
	pid_t pid = fork();

	if (pid == 0) {
		execv(argv[0], argv);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	printf("init: %s %s -> %d\n", argv[0], argv[1], WEXITSTATUS(status));
	fflush(stdout);
	return status;
}

static void cat(const char *path)
{
	char buf[4096];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0) {
		printf("init: cannot open %s\n", path);
		return;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, n, stdout);
	close(fd);
}

int main(void)
{
	char *enable[] = { "/jailhouse", "enable", "/rtvirt-qemu-arm64.cell", NULL };
	char *create[] = { "/jailhouse", "cell", "create", "/rtvirt-qemu-arm64-baremetal.cell", NULL };
	char *load_demo[] = { "/jailhouse", "cell", "load", "rtvirt-baremetal", "/gic-demo.bin", NULL };
	char *start[] = { "/jailhouse", "cell", "start", "rtvirt-baremetal", NULL };
	char *list[] = { "/jailhouse", "cell", "list", NULL };
	char *destroy[] = { "/jailhouse", "cell", "destroy", "rtvirt-baremetal", NULL };
	char *disable[] = { "/jailhouse", "disable", NULL };

	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	setvbuf(stdout, NULL, _IONBF, 0);
	load("/jailhouse.ko");
	if (run(enable) == 0) {
		load("/uio_ivshmem.ko");
		cat("/sys/class/uio/uio0/maps/map1/addr");
		cat("/sys/class/uio/uio0/maps/map3/size");
		run(create);
		run(load_demo);
		run(start);
		sleep(20);
		run(list);
		run(destroy);
		run(disable);
	}
	printf("init: RTVIRT-JAILHOUSE-DONE\n");
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}
