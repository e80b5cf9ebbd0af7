// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * subpage.c - a page split into equal elements, tracked by a bitmap
 * (Netty's PoolSubpage).
 *
 * A page of page_size bytes holds max_elems = page_size / elem_size
 * elements; bit i of the bitmap (the kernel's bitmap API: an array of
 * unsigned long) says element i is allocated.  It has room for the
 * smallest element (16 bytes), BITS_TO_LONGS(page_size / 16) words, of
 * which the first max_elems bits are used; the search is
 * find_next_zero_bit() over max_elems bits.
 *
 * While it has a free element a subpage sits on its arena's pool list for
 * its element size (head sentinel in struct bufpool_arena).  It leaves the
 * list when it becomes full, rejoins when an element is freed, and when it
 * becomes entirely free it gives its page back to the buddy tree, unless it
 * is the only subpage on the list: then it stays, so the next allocation of
 * that size does not have to split a page again (Netty's doNotDestroy).
 *
 * The caller serializes access (the arena lock).
 */
#include "geometry.h"
#include "chunk.h"

/**
 * bufpool_subpage_struct_size() - bytes for a descriptor with its bitmap
 * @page_size: the pool's page size
 *
 * Context: any.
 * Return: sizeof the header plus BITS_TO_LONGS(page_size / 16) bitmap words.
 */
size_t bufpool_subpage_struct_size(unsigned int page_size)
{
	return struct_size((struct bufpool_subpage *)NULL, bitmap,
			   BITS_TO_LONGS(page_size / BUFPOOL_TINY_QUANTUM));
}
EXPORT_SYMBOL_NS_GPL(bufpool_subpage_struct_size, BUFPOOL_INTERNAL);

/**
 * bufpool_subpage_init() - (re)use a page for elements of @elem_size
 * @sp: descriptor; @sp->chunk, @sp->mm_idx and @sp->page_offset already set
 * @head: the arena's pool list for @elem_size; @sp is added to it
 * @page_size: the pool's page size
 * @elem_size: element size, 16 .. page_size / 2
 *
 * Context: caller holds the arena lock.
 */
void bufpool_subpage_init(struct bufpool_subpage *sp, struct list_head *head,
			  unsigned int page_size, unsigned int elem_size)
{
	sp->do_not_destroy = true;
	sp->elem_size = elem_size;
	sp->max_elems = page_size / elem_size;
	sp->num_avail = sp->max_elems;
	sp->next_avail = 0;
	bitmap_zero(sp->bitmap, sp->max_elems);
	list_add(&sp->node, head);
}
EXPORT_SYMBOL_NS_GPL(bufpool_subpage_init, BUFPOOL_INTERNAL);

static int subpage_find_next_avail(const struct bufpool_subpage *sp)
{
	unsigned long idx = find_next_zero_bit(sp->bitmap, sp->max_elems, 0);

	return idx < sp->max_elems ? (int)idx : -1;
}

/**
 * bufpool_subpage_alloc() - take a free element
 * @sp: a subpage in use (do_not_destroy)
 *
 * Removes @sp from its pool list when this was its last free element.
 *
 * Context: caller holds the arena lock.
 * Return: the element's bitmap index, or -ENOSPC if the subpage is full.
 */
int bufpool_subpage_alloc(struct bufpool_subpage *sp)
{
	int idx;

	if (sp->num_avail == 0 || !sp->do_not_destroy)
		return -ENOSPC;
	idx = sp->next_avail;
	if (idx >= 0)
		sp->next_avail = -1;
	else
		idx = subpage_find_next_avail(sp);
	if (WARN_ON_ONCE(idx < 0))
		return -ENOSPC;
	/* Cache frees read the bitmap without the lock. */
	WRITE_ONCE(sp->bitmap[BIT_WORD(idx)], sp->bitmap[BIT_WORD(idx)] | BIT_MASK(idx));
	if (--sp->num_avail == 0)
		list_del_init(&sp->node);
	return idx;
}
EXPORT_SYMBOL_NS_GPL(bufpool_subpage_alloc, BUFPOOL_INTERNAL);

/**
 * bufpool_subpage_alloc_bulk() - take up to @n free elements at once
 * @sp: a subpage in use (do_not_destroy)
 * @base: the address of its element 0 (bufpool_chunk_subpage_ptr())
 * @out: filled with the elements' addresses, @base + index * elem_size
 * @n: how many at most
 *
 * The same elements, in the same order, as @n calls of
 * bufpool_subpage_alloc() until the subpage is full: the remembered
 * next_avail first, then the lowest free bits; but a bitmap word is read
 * and written once for all the bits taken from it.
 *
 * Context: caller holds the arena lock.
 * Return: how many were taken (0 if the subpage is full).
 */
unsigned int bufpool_subpage_alloc_bulk(struct bufpool_subpage *sp, char *base, void **out,
					unsigned int n)
{
	unsigned int got, w, words = BITS_TO_LONGS(sp->max_elems);
	size_t size = sp->elem_size;
	void **o = out, **end;

	if (!sp->do_not_destroy)
		return 0;
	n = min(n, sp->num_avail);
	end = out + n;
	if (n && sp->next_avail >= 0) {
		unsigned int i = sp->next_avail;

		sp->next_avail = -1;
		WRITE_ONCE(sp->bitmap[BIT_WORD(i)], sp->bitmap[BIT_WORD(i)] | BIT_MASK(i));
		*o++ = base + i * size;
	}
	for (w = 0; o != end && w < words; w++) {
		unsigned long word = sp->bitmap[w], free = ~word, left;
		char *first = base + w * BITS_PER_LONG * size;

		if (w == words - 1 && sp->max_elems % BITS_PER_LONG)
			free &= BITMAP_LAST_WORD_MASK(sp->max_elems);
		if (!free)
			continue;
		/*
		 * Free bits, lowest first, while wanted: a run of free
		 * elements at a time, their addresses one add apart.
		 */
		left = free;
		while (left && o != end) {
			unsigned int start = __ffs(left);
			unsigned long rest = ~(left >> start);
			unsigned int len = rest ? __ffs(rest) : BITS_PER_LONG - start;
			char *p = first + start * size;
			void **stop;

			len = min_t(size_t, len, end - o);
			stop = o + len;
			while (o != stop) {
				*o++ = p;
				p += size;
			}
			/* Bits start .. start + len - 1 taken (len may be 64). */
			left &= ~((len == BITS_PER_LONG ? ~0UL : (1UL << len) - 1) << start);
		}
		/* Cache frees read the bitmap without the lock. */
		WRITE_ONCE(sp->bitmap[w], word | (free ^ left));
	}
	got = o - out;
	WARN_ON_ONCE(got < n);	/* num_avail and the bitmap disagree */
	sp->num_avail -= got;
	if (sp->num_avail == 0)
		list_del_init(&sp->node);
	return got;
}
EXPORT_SYMBOL_NS_GPL(bufpool_subpage_alloc_bulk, BUFPOOL_INTERNAL);

/**
 * bufpool_subpage_free() - give element @idx back
 * @sp: the subpage
 * @head: the arena's pool list for the subpage's element size
 * @idx: bitmap index of an allocated element
 *
 * A subpage that was full rejoins @head.
 *
 * Context: caller holds the arena lock.
 * Return: 1 if the subpage stays in use, 0 if it is entirely free and must
 * give its page back to the buddy tree (it has left its list), -EINVAL if
 * element @idx was not allocated (double free): nothing changed.
 */
int bufpool_subpage_free(struct bufpool_subpage *sp, struct list_head *head,
			 unsigned int idx)
{
	if (!bufpool_subpage_test(sp, idx))
		return -EINVAL;
	bufpool_subpage_put(sp, head, idx);
	if (sp->num_avail != sp->max_elems)	/* it had another element in use */
		return 1;
	/* Entirely free: keep it if it is the only one of its size. */
	if (sp->node.prev == sp->node.next)
		return 1;
	sp->do_not_destroy = false;
	list_del_init(&sp->node);
	return 0;
}
EXPORT_SYMBOL_NS_GPL(bufpool_subpage_free, BUFPOOL_INTERNAL);
