// SPDX-License-Identifier: GPL-2.0
/*
 * page_source.c (kernel) - chunk and huge memory from the page allocator.
 *
 * A chunk is one alloc_pages() block of order get_order(chunk_size): the
 * buddy allocator returns blocks naturally aligned to their size, which is
 * the alignment free-by-pointer relies on.  The largest block is
 * MAX_ORDER - 1 (order 10, 4 MiB, on x86-64), hence bufpool_chunk_max().
 * Huge allocations use the page allocator when they fit an order, else
 * vmalloc; is_vmalloc_addr() tells them apart at free time.
 */
#include <linux/mm.h>
#include <linux/vmalloc.h>
#include "bufpool_internal.h"

/* No warning splat on failure: the caller gets NULL and reports it. */
#define BUFPOOL_PAGE_GFP	(__GFP_NOWARN | __GFP_NORETRY)

/**
 * bufpool_chunk_max() - largest chunk one alloc_pages() block can hold
 *
 * Context: any.
 * Return: PAGE_SIZE << (MAX_ORDER - 1).
 */
size_t bufpool_chunk_max(void)
{
	return PAGE_SIZE << (MAX_ORDER - 1);
}

/**
 * bufpool_chunk_memory_alloc() - a naturally aligned block for a chunk
 * @size: power of two, PAGE_SIZE .. bufpool_chunk_max()
 * @gfp: allocation flags
 *
 * Context: may sleep if @gfp allows.
 * Return: the block's address, or NULL.
 */
void *bufpool_chunk_memory_alloc(size_t size, gfp_t gfp)
{
	struct page *page = alloc_pages(gfp | BUFPOOL_PAGE_GFP, get_order(size));

	return page ? page_address(page) : NULL;
}

/**
 * bufpool_chunk_memory_free() - give a chunk's block back
 * @mem: from bufpool_chunk_memory_alloc()
 * @size: the size it was allocated with
 *
 * Context: any.
 */
void bufpool_chunk_memory_free(void *mem, size_t size)
{
	__free_pages(virt_to_page(mem), get_order(size));
}

/**
 * bufpool_huge_round() - bytes a huge allocation of @size occupies
 * @size: requested bytes
 *
 * Context: any.
 * Return: @size rounded up to PAGE_SIZE, or 0 if that overflows or exceeds
 * what vmalloc could ever provide.
 */
size_t bufpool_huge_round(size_t size)
{
	if (size > (SIZE_MAX >> 1))
		return 0;
	return PAGE_ALIGN(size);
}

/**
 * bufpool_huge_memory_alloc() - memory for an unpooled allocation
 * @size: from bufpool_huge_round()
 * @gfp: allocation flags
 *
 * Context: may sleep if @gfp allows; vmalloc needs a sleepable @gfp, so an
 * atomic request larger than the largest order fails.
 * Return: the memory, or NULL.
 */
void *bufpool_huge_memory_alloc(size_t size, gfp_t gfp)
{
	unsigned int order = get_order(size);

	if (order < MAX_ORDER) {
		struct page *page = alloc_pages(gfp | BUFPOOL_PAGE_GFP, order);

		if (page)
			return page_address(page);
	}
	if (!gfpflags_allow_blocking(gfp))
		return NULL;
	return __vmalloc(size, gfp | __GFP_NOWARN);
}

/**
 * bufpool_huge_memory_free() - free what bufpool_huge_memory_alloc() returned
 * @mem: the memory
 * @size: its size
 *
 * Context: may sleep (vfree).
 */
void bufpool_huge_memory_free(void *mem, size_t size)
{
	if (is_vmalloc_addr(mem))
		vfree(mem);
	else
		__free_pages(virt_to_page(mem), get_order(size));
}
