// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * malloc_meta.c (libbufpool-malloc.so) - where the pool's own metadata
 * comes from when the pool is malloc itself.
 *
 * The core asks the kmalloc shim (user/include/linux/slab.h) for its chunk
 * descriptors, subpage bitmaps, thread bindings and huge records, and the
 * shim calls malloc().  In libbufpool-malloc.so malloc() is the pool: the
 * core would call itself, under its own arena lock.  So the library is
 * linked with `ld --wrap` for the four functions the core calls (the
 * Makefile lists them; `nm -u` on the objects tells which), and the wrappers
 * here send them to glibc's allocator under its exported internal names.
 * glibc's allocator lives on unharmed beside the pool: it is also where
 * malloc() goes while the pool is being made, and user/malloc.c gives any
 * pointer that is not the pool's back to it.
 */
#include <stddef.h>

void *__libc_malloc(size_t size);
void *__libc_calloc(size_t n, size_t size);
void *__libc_memalign(size_t align, size_t size);
void __libc_free(void *ptr);

void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_aligned_alloc(size_t align, size_t size);
void __wrap_free(void *ptr);

/**
 * __wrap_malloc() - the core's malloc(): glibc's
 * @size: bytes
 *
 * Context: any thread.
 * Return: memory from glibc, or NULL.
 */
void *__wrap_malloc(size_t size)
{
	return __libc_malloc(size);
}

/**
 * __wrap_calloc() - the core's calloc(): glibc's
 * @n: elements
 * @size: bytes each
 *
 * Context: any thread.
 * Return: zeroed memory from glibc, or NULL.
 */
void *__wrap_calloc(size_t n, size_t size)
{
	return __libc_calloc(n, size);
}

/**
 * __wrap_aligned_alloc() - the core's aligned_alloc(): glibc's memalign
 * @align: a power of two
 * @size: bytes
 *
 * Context: any thread.
 * Return: memory from glibc, or NULL.
 */
void *__wrap_aligned_alloc(size_t align, size_t size)
{
	return __libc_memalign(align, size);
}

/**
 * __wrap_free() - the core's free(): glibc's
 * @ptr: from one of the three above, or NULL
 *
 * Context: any thread.
 */
void __wrap_free(void *ptr)
{
	__libc_free(ptr);
}
