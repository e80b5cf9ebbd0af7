// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * recv_replay.c - drive bufpool's adaptive receive handle (core/recv.c)
 * through a trace of read loops and print every guess, in the format of
 * user/tests/netty/RecvReplay.java, which does the same with Netty 4.1.48's
 * AdaptiveRecvByteBufAllocator.  scripts/recv-diff compares the two; the
 * trace format is described in RecvReplay.java.
 *
 *   recv_replay TRACE           replay
 *   recv_replay -p N TRACE      replay, but run loop N's read_complete()
 *                               twice (the self-check: must differ)
 *   recv_replay -g SEED         print a random trace: handles of random
 *                               bounds (some refused), 300 loops each
 *   recv_replay -s              print the size sweep: "i" for 1..70000,
 *                               around every power of two, and the extremes
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bufpool.h>

static uint64_t rng_state;

static uint64_t rng(void)	/* splitmix64 */
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static int rnd(int n)
{
	return (int)(rng() % (uint64_t)n);
}

static void gen_loop(void)
{
	/* Mostly full reads (moves up) and partial ones (moves down). */
	static const char kinds[] = "ffffffffppppppppzzzeeaaabbb";
	int i, n = 1 + rnd(rnd(4) ? 4 : 20);

	putchar('l');
	for (i = 0; i < n; i++)
		printf(" %c:%d", kinds[rnd(sizeof(kinds) - 1)], (int)(rng() & INT_MAX));
	putchar('\n');
}

static void gen(uint64_t seed)
{
	int h, l;

	rng_state = seed;
	for (h = 0; h < 40; h++) {
		int min, initial, max, reads;

		switch (rnd(6)) {
		case 0:		/* Netty's defaults */
			min = 64, initial = 1024, max = 65536, reads = 16;
			break;
		case 1:		/* refused: each check in turn */
			min = rnd(3) - 1, initial = 100, max = 200, reads = 1 + rnd(16);
			if (min > 0) {
				initial = min - 1 + rnd(2) * 2;	/* below min, or max below it */
				max = initial - 1;
			}
			if (!rnd(4))
				min = 64, initial = 1024, max = 65536, reads = -rnd(2);
			break;
		case 2:		/* tight bounds */
			min = 1 + rnd(600);
			initial = min + rnd(100);
			max = initial + rnd(200);
			reads = 1 + rnd(4);
			break;
		default:
			min = 1 + rnd(2000);
			initial = min + rnd(5000);
			max = initial + rnd(rnd(2) ? 200000 : INT_MAX - initial);
			reads = 1 + rnd(20);
			break;
		}
		printf("h %d %d %d %d\n", min, initial, max, reads);
		for (l = 0; l < 300; l++)
			gen_loop();
	}
}

static void sweep(void)
{
	int s, k;

	for (s = 1; s <= 70000; s++)
		printf("i %d\n", s);
	for (k = 17; k <= 30; k++)
		for (s = -2; s <= 2; s++)
			printf("i %d\n", (1 << k) + s);
	printf("i %d\n", INT_MAX);
}

static void loop(struct bufpool_recv_handle *h, char *rest, bool perturb)
{
	char *tok;

	bufpool_recv_reset(h);
	putchar('l');
	for (tok = strtok(rest, " \n"); tok; tok = strtok(NULL, " \n")) {
		int x = atoi(tok + 2), att = bufpool_recv_guess(h), n;
		bool more;

		switch (tok[0]) {
		case 'f': n = att; break;
		case 'p': n = 1 + x % att; break;
		case 'z': n = 0; break;
		case 'e': n = -1; break;
		case 'a': att = 1 + x % 131072; n = att; break;
		case 'b': att = 1 + x % 131072; n = 1 + (x / 131072) % att; break;
		default:
			fprintf(stderr, "recv_replay: read kind %c\n", tok[0]);
			exit(1);
		}
		bufpool_recv_set_attempted_bytes(h, att);
		bufpool_recv_set_last_bytes_read(h, n);
		if (n <= 0) {
			printf(" %d/%d/-", n, bufpool_recv_guess(h));
			break;
		}
		bufpool_recv_inc_messages_read(h, 1);
		more = bufpool_recv_continue_reading(h);
		printf(" %d/%d/%d", n, bufpool_recv_guess(h), more);
		if (!more)
			break;
	}
	bufpool_recv_read_complete(h);
	if (perturb)
		bufpool_recv_read_complete(h);
	printf(" = %d\n", bufpool_recv_guess(h));
}

static int replay(const char *path, long perturb)
{
	struct bufpool_recv_handle h;
	bool have = false;
	char line[1 << 12];
	long loops = 0;
	FILE *f = fopen(path, "r");

	if (!f) {
		perror(path);
		return 1;
	}
	while (fgets(line, sizeof(line), f)) {
		struct bufpool_recv_config cfg;

		if (line[0] == 'h') {
			if (sscanf(line + 1, "%d %d %d %d", &cfg.minimum, &cfg.initial,
				   &cfg.maximum, &cfg.max_reads) != 4)
				goto bad;
			have = bufpool_recv_init(&h, &cfg) == 0;
			if (have)
				printf("h %d\n", bufpool_recv_guess(&h));
			else
				printf("h invalid\n");
		} else if (line[0] == 'i') {
			bufpool_recv_config_init(&cfg);
			cfg.minimum = 1;
			cfg.initial = atoi(line + 1);
			cfg.maximum = INT_MAX;
			if (bufpool_recv_init(&h, &cfg))
				goto bad;
			have = false;
			printf("i %d\n", bufpool_recv_guess(&h));
		} else if (line[0] == 'l') {
			if (have)
				loop(&h, line + 1, ++loops == perturb);
		} else {
			goto bad;
		}
	}
	fclose(f);
	return 0;
bad:
	fprintf(stderr, "recv_replay: bad trace line: %s", line);
	fclose(f);
	return 1;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "-g")) {
		gen(strtoull(argv[2], NULL, 0));
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "-s")) {
		sweep();
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "-p"))
		return replay(argv[3], atol(argv[2]));
	if (argc == 2)
		return replay(argv[1], 0);
	fprintf(stderr, "usage: recv_replay [-p N] TRACE | -g SEED | -s\n");
	return 2;
}
