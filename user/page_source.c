// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * page_source.c (userspace) - chunk and huge memory from mmap().
 *
 * mmap() only promises page alignment, so a chunk maps twice its size and
 * unmaps the misaligned head and the tail: what remains is aligned to the
 * chunk size, which free-by-pointer relies on.  Huge allocations are
 * mapped on their own.  Freshly mapped memory is zero; munmap() returns it
 * to the system at once.
 */
#include <sys/mman.h>
#include <unistd.h>
#include "world.h"
#include "sanitize.h"

/* Netty's limit: chunk sizes up to 1 GiB. */
#define BUFPOOL_USER_CHUNK_MAX	(1UL << 30)

static void *map_anon(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/**
 * bufpool_chunk_max() - largest chunk this source supplies
 *
 * Context: any.
 * Return: 1 GiB.
 */
size_t bufpool_chunk_max(void)
{
	return BUFPOOL_USER_CHUNK_MAX;
}

/**
 * bufpool_chunk_memory_alloc() - @size bytes aligned to @size
 * @size: power of two, at least the system page size
 * @gfp: ignored
 *
 * Context: any thread.
 * Return: the memory, or NULL.
 */
void *bufpool_chunk_memory_alloc(size_t size, gfp_t gfp)
{
	uintptr_t start, aligned;
	char *p;

	p = map_anon(2 * size);
	if (!p)
		return NULL;
	start = (uintptr_t)p;
	aligned = ALIGN(start, size);
	if (aligned > start)
		munmap(p, aligned - start);
	munmap((char *)aligned + size, start + size - aligned);
	bufpool_san_poison((void *)aligned, size);	/* all free until handed out */
	return (void *)aligned;
}

/**
 * bufpool_chunk_memory_free() - unmap a chunk
 * @mem: from bufpool_chunk_memory_alloc()
 * @size: its size
 *
 * Context: any thread.
 */
void bufpool_chunk_memory_free(void *mem, size_t size)
{
	bufpool_san_unpoison(mem, size);	/* ASan's shadow outlives the mapping */
	munmap(mem, size);
}

/**
 * bufpool_chunk_memory_purgeable() - can free pages inside a chunk go back?
 *
 * Context: any.
 * Return: true: bufpool_chunk_memory_purge() gives them back.
 */
bool bufpool_chunk_memory_purgeable(void)
{
	return true;
}

/**
 * bufpool_chunk_memory_purge() - give free pages inside a chunk back
 * @mem: page-aligned, inside a chunk, no allocation in it
 * @size: bytes, a multiple of the system page size
 *
 * MADV_DONTNEED: the pages leave the process's RSS at once (MADV_FREE
 * would leave them counted until the system needs memory) and read as
 * zero when touched again.  The mapping stays.  A failure leaves them
 * resident, which is only memory.
 *
 * Context: the range out of its chunk's tree (bufpool_chunk_purge_take()),
 * so that no allocation takes it meanwhile; no bufpool spinlock held.
 */
void bufpool_chunk_memory_purge(void *mem, size_t size)
{
	madvise(mem, size, MADV_DONTNEED);
}

/**
 * bufpool_huge_round() - bytes a huge allocation of @size maps
 * @size: requested bytes
 *
 * Context: any.
 * Return: @size rounded up to the system page size, 0 on overflow.
 */
size_t bufpool_huge_round(size_t size)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	if (size > SIZE_MAX - page)
		return 0;
	return ALIGN(size, page);
}

/**
 * bufpool_huge_memory_alloc() - map an unpooled allocation
 * @size: from bufpool_huge_round()
 * @gfp: ignored
 *
 * Context: any thread.
 * Return: the memory, or NULL.
 */
void *bufpool_huge_memory_alloc(size_t size, gfp_t gfp)
{
	return map_anon(size);
}

/**
 * bufpool_huge_memory_free() - unmap it
 * @mem: the memory
 * @size: its size
 *
 * Context: any thread.
 */
void bufpool_huge_memory_free(void *mem, size_t size)
{
	bufpool_san_unpoison(mem, size);	/* the redzone past the requested size */
	munmap(mem, size);
}
