// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * sizeclass.c - geometry and size-class normalization.
 *
 * Requests are normalized first, as in Netty's PoolArena: below 512 bytes
 * up to a multiple of 16 (0 to 16), from 512 up to the chunk size up to a
 * power of two.  The class follows from the normalized size:
 *   tiny    16 .. 496              a subpage element
 *   small   512 .. page / 2        a subpage element
 *   normal  page .. chunk          a run of pages
 *   huge    > chunk                not pooled, rounded to the source's page
 * So a request of 497..511 bytes is small (512), and one above page / 2
 * is normal (a whole page).
 */
#include "geometry.h"

/**
 * bufpool_geometry_init() - validate page_size and max_order, derive sizes
 * @geo: filled on success
 * @page_size: power of two, BUFPOOL_PAGE_SIZE_MIN..BUFPOOL_PAGE_SIZE_MAX
 * @max_order: 0..BUFPOOL_MAX_ORDER_MAX, and page_size << max_order <= @chunk_max
 * @chunk_max: largest chunk the page source can supply
 * @why: on failure, one line naming the parameter, its value and the range
 * @why_len: size of @why
 *
 * Context: any.
 * Return: 0, or -EINVAL with @why filled.
 */
int bufpool_geometry_init(struct bufpool_geometry *geo, unsigned int page_size,
			  unsigned int max_order, size_t chunk_max,
			  char *why, size_t why_len)
{
	unsigned int order_max;

	if (page_size < BUFPOOL_PAGE_SIZE_MIN || page_size > BUFPOOL_PAGE_SIZE_MAX ||
	    !is_power_of_2(page_size)) {
		scnprintf(why, why_len,
			  "page_size=%u invalid: must be a power of two in %u..%u",
			  page_size, BUFPOOL_PAGE_SIZE_MIN, BUFPOOL_PAGE_SIZE_MAX);
		return -EINVAL;
	}
	order_max = BUFPOOL_MAX_ORDER_MAX;
	while (order_max > 0 && ((size_t)page_size << order_max) > chunk_max)
		order_max--;
	if (max_order > order_max) {
		scnprintf(why, why_len,
			  "max_order=%u invalid: must be in 0..%u for page_size=%u (chunk at most %zu KiB)",
			  max_order, order_max, page_size, chunk_max >> 10);
		return -EINVAL;
	}
	geo->page_size = page_size;
	geo->page_shift = ilog2(page_size);
	geo->max_order = max_order;
	geo->chunk_shift = geo->page_shift + max_order;
	geo->chunk_size = (size_t)1 << geo->chunk_shift;
	geo->chunk_mask = geo->chunk_size - 1;
	geo->page_mask = page_size - 1;
	geo->nr_small_pools = geo->page_shift - ilog2(BUFPOOL_TINY_LIMIT);
	return 0;
}
EXPORT_SYMBOL_NS_GPL(bufpool_geometry_init, BUFPOOL_INTERNAL);

/**
 * bufpool_normalize() - the size a request is served with
 * @geo: pool geometry
 * @size: requested bytes
 *
 * Context: any.
 * Return: the normalized size; @size itself when it is huge (> chunk).
 */
size_t bufpool_normalize(const struct bufpool_geometry *geo, size_t size)
{
	if (size > geo->chunk_size)
		return size;
	if (size >= BUFPOOL_TINY_LIMIT)
		return roundup_pow_of_two(size);
	if (size == 0)
		return BUFPOOL_TINY_QUANTUM;
	return ALIGN(size, BUFPOOL_TINY_QUANTUM);
}
EXPORT_SYMBOL_NS_GPL(bufpool_normalize, BUFPOOL_INTERNAL);
