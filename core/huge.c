// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * huge.c - allocations larger than a chunk: not pooled (Netty's
 * allocateHuge).  Each one is its own page-source allocation, remembered in
 * a hash by its address so that bufpool_free() can tell it from misuse.
 *
 * Lock order: huge->lock is a leaf; no other bufpool lock is taken under it,
 * and memory is mapped and unmapped outside it.
 */
#include "pool.h"
#include "world.h"

/*
 * @addr is the mapping as bufpool_san_hide() keeps it, so that a leak
 * checker does not take the record for a reference: huge_ptr() reads it.
 */
struct bufpool_huge_alloc {
	struct hlist_node node;
	unsigned long addr;
	size_t size;
};

static void *huge_ptr(const struct bufpool_huge_alloc *h)
{
	return bufpool_san_unhide(h->addr);
}

static struct hlist_head *huge_bucket(struct bufpool_huge *huge, const void *ptr)
{
	/* Page-aligned addresses: drop the low bits that never vary. */
	return &huge->buckets[hash_long((uintptr_t)ptr >> 12, BUFPOOL_TABLE_BITS)];
}

static struct bufpool_huge_alloc *huge_find(struct bufpool_huge *huge, const void *ptr)
{
	unsigned long addr = bufpool_san_hide(ptr);
	struct bufpool_huge_alloc *h;

	hlist_for_each_entry(h, huge_bucket(huge, ptr), node)
		if (h->addr == addr)
			return h;
	return NULL;
}

/**
 * bufpool_huge_init() - no huge allocations yet
 * @huge: the table
 *
 * Context: not yet shared.
 */
void bufpool_huge_init(struct bufpool_huge *huge)
{
	unsigned int i;

	spin_lock_init(&huge->lock);
	for (i = 0; i < ARRAY_SIZE(huge->buckets); i++)
		INIT_HLIST_HEAD(&huge->buckets[i]);
	huge->active = 0;
	huge->bytes = 0;
	huge->allocations = 0;
	huge->frees = 0;
}

/**
 * bufpool_huge_alloc() - an unpooled allocation
 * @pool: the pool
 * @size: bytes, more than the chunk size
 * @gfp: allocation flags
 *
 * Context: no bufpool lock held; may sleep if @gfp allows.
 * Return: the memory, or NULL.
 */
void *bufpool_huge_alloc(struct bufpool *pool, size_t size, gfp_t gfp)
{
	unsigned long irqflags;
	struct bufpool_huge *huge = &pool->huge;
	struct bufpool_huge_alloc *h;
	size_t rounded = bufpool_huge_round(size);
	void *ptr;

	if (!rounded)
		return NULL;
	h = kmalloc(sizeof(*h), gfp | __GFP_NOWARN);
	if (!h)
		return NULL;
	/* The record must not keep a huge allocation its user lost "referenced". */
	bufpool_san_not_a_reference(h);
	ptr = bufpool_huge_memory_alloc(rounded, gfp);
	if (!ptr) {
		kfree(h);
		return NULL;
	}
	h->addr = bufpool_san_hide(ptr);
	h->size = rounded;
	spin_lock_irqsave(&huge->lock, irqflags);
	hlist_add_head(&h->node, huge_bucket(huge, ptr));
	huge->active++;
	huge->bytes += rounded;
	huge->allocations++;
	spin_unlock_irqrestore(&huge->lock, irqflags);
	return ptr;
}

/**
 * bufpool_huge_free() - free a huge allocation
 * @pool: the pool
 * @ptr: the pointer bufpool_huge_alloc() returned
 *
 * Context: no bufpool lock held; may sleep.
 * Return: 0, or -ENOENT if @ptr is not a live huge allocation.
 */
int bufpool_huge_free(struct bufpool *pool, const void *ptr)
{
	unsigned long irqflags;
	struct bufpool_huge *huge = &pool->huge;
	struct bufpool_huge_alloc *h;

	spin_lock_irqsave(&huge->lock, irqflags);
	h = huge_find(huge, ptr);
	if (h) {
		hlist_del(&h->node);
		huge->active--;
		huge->bytes -= h->size;
		huge->frees++;
	}
	spin_unlock_irqrestore(&huge->lock, irqflags);
	if (!h)
		return -ENOENT;
	bufpool_san_free(huge_ptr(h), false);
	bufpool_huge_memory_free(huge_ptr(h), h->size);
	kfree(h);
	return 0;
}

/**
 * bufpool_huge_usable_size() - size of a huge allocation
 * @pool: the pool
 * @ptr: a pointer
 *
 * Context: no bufpool lock held.
 * Return: its usable bytes, 0 if @ptr is not a live huge allocation.
 */
size_t bufpool_huge_usable_size(struct bufpool *pool, const void *ptr)
{
	unsigned long irqflags;
	struct bufpool_huge_alloc *h;
	size_t size = 0;

	spin_lock_irqsave(&pool->huge.lock, irqflags);
	h = huge_find(&pool->huge, ptr);
	if (h)
		size = h->size;
	spin_unlock_irqrestore(&pool->huge.lock, irqflags);
	return size;
}

/**
 * bufpool_huge_destroy() - free every huge allocation still live
 * @pool: the pool; nothing else may use it any more
 *
 * Context: may sleep.
 */
void bufpool_huge_destroy(struct bufpool *pool)
{
	struct bufpool_huge *huge = &pool->huge;
	struct bufpool_huge_alloc *h;
	struct hlist_node *tmp;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(huge->buckets); i++) {
		hlist_for_each_entry_safe(h, tmp, &huge->buckets[i], node) {
			hlist_del(&h->node);
			huge->active--;
			huge->bytes -= h->size;
			bufpool_san_free(huge_ptr(h), false);
			bufpool_huge_memory_free(huge_ptr(h), h->size);
			kfree(h);
		}
	}
}
