// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * page_source.c (kernel) - chunk and huge memory from the page allocator.
 *
 * A chunk is one alloc_pages() block of order get_order(chunk_size): the
 * buddy allocator returns blocks naturally aligned to their size, which is
 * the alignment free-by-pointer relies on.  The largest block is of order
 * BUFPOOL_MAX_PAGE_ORDER (10, 4 MiB, on x86-64), hence bufpool_chunk_max().
 * Huge allocations use the page allocator when they fit an order, else
 * vmalloc; is_vmalloc_addr() tells them apart at free time.
 *
 * Chunks are registered with kmemleak, which does not scan alloc_pages()
 * memory: pointers that other code keeps only in bufpool memory must not
 * look like leaks.
 */
#include <linux/kmemleak.h>
#include <linux/llist.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>
#include "world.h"
#include "sanitize.h"
#include "page_source.h"

/*
 * The largest order alloc_pages() serves, in 6.1 (the kernel bufpool is
 * built for, Debian 12's): MAX_ORDER is one past it.  No version ladder:
 * on 6.4-6.7, where MAX_ORDER became inclusive, this is one order below
 * what they allow (safe, chunks at most half as large as they could be),
 * and 6.8 renamed it MAX_PAGE_ORDER, so a port there fails to build at
 * this line instead of compiling a guess.
 */
#define BUFPOOL_MAX_PAGE_ORDER	(MAX_ORDER - 1)

/* No warning splat on failure: the caller gets NULL and reports it. */
#define BUFPOOL_PAGE_GFP	__GFP_NOWARN

/**
 * bufpool_chunk_max() - largest chunk one alloc_pages() block can hold
 *
 * Context: any.
 * Return: PAGE_SIZE << BUFPOOL_MAX_PAGE_ORDER.
 */
size_t bufpool_chunk_max(void)
{
	return PAGE_SIZE << BUFPOOL_MAX_PAGE_ORDER;
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

	if (!page)
		return NULL;
	/*
	 * Not a kmemleak object: the allocations in it are, from hand-out to
	 * free (bufpool_sanitize.h); to KASAN it is all free until then.
	 */
	bufpool_san_poison(page_address(page), size);
	return page_address(page);
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
 * bufpool_chunk_memory_purgeable() - can free pages inside a chunk go back?
 *
 * Context: any.
 * Return: false: a chunk is one high-order block, whose pages go back only
 * with all of it.
 */
bool bufpool_chunk_memory_purgeable(void)
{
	return false;
}

/**
 * bufpool_chunk_memory_purge() - never called here (not purgeable)
 * @mem: unused
 * @size: unused
 *
 * Context: any.
 */
void bufpool_chunk_memory_purge(void *mem, size_t size)
{
	WARN_ON_ONCE(1);
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
 * Context: may sleep if @gfp allows.  A @gfp that may not sleep gets pages
 * up to PAGE_ALLOC_COSTLY_ORDER (32 KiB) at most and never vmalloc.
 * Return: the memory, or NULL.
 */
void *bufpool_huge_memory_alloc(size_t size, gfp_t gfp)
{
	unsigned int order = get_order(size);

	/* A caller that may not sleep gets at most what slab would try. */
	if (!gfpflags_allow_blocking(gfp) && order > PAGE_ALLOC_COSTLY_ORDER)
		return NULL;
	if (order <= BUFPOOL_MAX_PAGE_ORDER) {
		/* vmalloc is the fallback: do not try hard for contiguity. */
		struct page *page = alloc_pages(gfp | BUFPOOL_PAGE_GFP | __GFP_NORETRY, order);

		if (page) {
			kmemleak_alloc(page_address(page), size, 1, gfp);
			return page_address(page);
		}
	}
	if (!gfpflags_allow_blocking(gfp))
		return NULL;
	return __vmalloc(size, gfp | __GFP_NOWARN);
}

/*
 * vfree() may sleep outside interrupts, and bufpool_free() must not (it may
 * be called under a spinlock, as kfree()): where the caller cannot sleep,
 * vmalloc'd memory goes onto a list that a work item frees, the area
 * itself holding the list node (vfree_atomic() does this in mm/, but is
 * not exported).
 */
static LLIST_HEAD(vfree_later);

static void vfree_later_fn(struct work_struct *work)
{
	struct llist_node *node = llist_del_all(&vfree_later), *next;

	llist_for_each_safe(node, next, node)
		vfree(node);
}

static DECLARE_WORK(vfree_work, vfree_later_fn);

/**
 * bufpool_page_source_exit() - free what is still waiting for vfree()
 *
 * Context: module exit, after the last pool.
 */
void bufpool_page_source_exit(void)
{
	flush_work(&vfree_work);
}

/**
 * bufpool_huge_memory_free() - free what bufpool_huge_memory_alloc() returned
 * @mem: the memory
 * @size: its size
 *
 * Context: any, hardirq included; never sleeps (vmalloc'd memory is freed
 * by a work item when the caller is not preemptible).
 */
void bufpool_huge_memory_free(void *mem, size_t size)
{
	if (is_vmalloc_addr(mem)) {
		if (preemptible())
			vfree(mem);
		else if (llist_add(mem, &vfree_later))
			schedule_work(&vfree_work);
	} else {
		kmemleak_free(mem);
		__free_pages(virt_to_page(mem), get_order(size));
	}
}
