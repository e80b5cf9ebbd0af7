// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * dev_demo.c - allocate through /dev/bufpool from userspace (make run):
 * 8 buffers each of 100 B, 2000 B and 20000 B, a message written into
 * each and read back; then, with everything still live, run the command
 * given as arguments (make run passes bufpoolstat); close() frees it all.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/bufpool.h>

int main(int argc, char **argv)
{
	static const uint64_t sizes[] = { 100, 2000, 20000 };
	int fd = open("/dev/bufpool", O_RDWR | O_CLOEXEC);
	unsigned int i, j, n = 0;

	if (fd < 0) {
		fprintf(stderr, "dev_demo: /dev/bufpool: %s (is bufpool.ko loaded? root?)\n",
			strerror(errno));
		return 1;
	}
	for (i = 0; i < 3; i++) {
		for (j = 0; j < 8; j++) {
			struct bufpool_ioc_alloc a = { .size = sizes[i] };
			struct bufpool_ioc_rw rw = { .length = 32 };
			char msg[32] = { 0 }, back[32] = { 0 };

			if (ioctl(fd, BUFPOOL_IOC_ALLOC, &a)) {
				perror("dev_demo: BUFPOOL_IOC_ALLOC");
				return 1;
			}
			snprintf(msg, sizeof(msg), "buffer %u of %llu bytes", j,
				 (unsigned long long)sizes[i]);
			rw.handle = a.handle;
			rw.buf = (uintptr_t)msg;
			if (ioctl(fd, BUFPOOL_IOC_WRITE, &rw))
				perror("dev_demo: BUFPOOL_IOC_WRITE");
			rw.buf = (uintptr_t)back;
			if (ioctl(fd, BUFPOOL_IOC_READ, &rw) || strcmp(msg, back)) {
				fprintf(stderr, "dev_demo: read back '%s'\n", back);
				return 1;
			}
			if (j == 0)
				printf("dev_demo: handle %#llx usable %llu: \"%s\"\n",
				       (unsigned long long)a.handle, (unsigned long long)a.usable, back);
			n++;
		}
	}
	printf("dev_demo: %u allocations live through /dev/bufpool\n", n);
	fflush(stdout);
	if (argc > 1) {
		pid_t pid = fork();

		if (pid == 0) {
			execvp(argv[1], argv + 1);
			_exit(127);
		}
		waitpid(pid, NULL, 0);
	}
	close(fd);	/* frees all of them */
	return 0;
}
