// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * config_sized.c - the sized entry points that let struct bufpool_config
 * grow without breaking programs built against an older <bufpool.h>.
 *
 * The header makes bufpool_config_init(), bufpool_config_validate() and
 * bufpool_create() macros that pass sizeof(struct bufpool_config) as the
 * caller was compiled (as bufpool_get_stats() passes its struct's size).
 * Here that size meets the library's, the way the kernel's
 * copy_struct_from_user() does: fields the caller does not know take their
 * defaults (bufpool_config_init()), fields the library does not know must
 * be zero (else E2BIG: the caller asked for something this library cannot
 * do), and a size below the first release's struct is refused (EINVAL).
 * Binaries built before the macros call the functions of those names in
 * user/bufpool.c, which take the whole struct: the build fails below the
 * day the struct grows, until they take BUFPOOL_CONFIG_SIZE_V1 bytes.
 */
#include <string.h>
#include <bufpool_seam.h>

#undef bufpool_config_init
#undef bufpool_config_validate
#undef bufpool_create
#undef bufpool_get_config

/* The struct of the first release, rounded to its alignment. */
#define CONFIG_V1_SIZEOF	ALIGN(BUFPOOL_CONFIG_SIZE_V1, __alignof__(struct bufpool_config))

/*
 * @cfg's @size bytes over the defaults in @full.  0, -EINVAL (too small),
 * or -E2BIG (a field this library does not know is set).
 */
static int config_from_caller(struct bufpool_config *full, const struct bufpool_config *cfg,
			      size_t size)
{
	size_t i;

	BUILD_BUG_ON(sizeof(*full) != CONFIG_V1_SIZEOF);
	bufpool_config_init(full);
	if (size < BUFPOOL_CONFIG_SIZE_V1)
		return -EINVAL;
	for (i = sizeof(*full); i < size; i++)
		if (((const unsigned char *)cfg)[i])
			return -E2BIG;
	memcpy(full, cfg, min(size, sizeof(*full)));
	return 0;
}

/**
 * bufpool_config_init_sized() - the defaults, into a caller's struct of @size bytes
 * @cfg: the configuration
 * @size: sizeof(struct bufpool_config) as the caller was compiled
 *
 * Fields past the library's struct are zeroed.
 *
 * Context: any thread.
 */
void bufpool_config_init_sized(struct bufpool_config *cfg, size_t size)
{
	struct bufpool_config full;

	if (!cfg)
		return;
	bufpool_config_init(&full);
	memcpy(cfg, &full, min(size, sizeof(full)));
	if (size > sizeof(full))
		memset((char *)cfg + sizeof(full), 0, size - sizeof(full));
}

/**
 * bufpool_config_validate_sized() - bufpool_config_validate() of a caller's struct
 * @cfg: the configuration, @size bytes
 * @size: sizeof(struct bufpool_config) as the caller was compiled
 * @why: for a bad @cfg, one line saying why (may be NULL)
 * @len: size of @why
 *
 * Context: any thread.
 * Return: 0, -EINVAL (a bad value, or @size too small) or -E2BIG (a field
 * this library does not know is set).
 */
int bufpool_config_validate_sized(const struct bufpool_config *cfg, size_t size, char *why,
				  size_t len)
{
	struct bufpool_config full;
	int ret;

	if (!cfg)
		return bufpool_config_validate(NULL, why, len);
	ret = config_from_caller(&full, cfg, size);
	if (ret && why && len)
		scnprintf(why, len, ret == -E2BIG ?
			  "struct bufpool_config of %zu bytes sets fields this library (%zu bytes) does not know" :
			  "struct bufpool_config of %zu bytes is smaller than the first release's (%zu)",
			  size, ret == -E2BIG ? sizeof(full) : (size_t)BUFPOOL_CONFIG_SIZE_V1);
	return ret ? ret : bufpool_config_validate(&full, why, len);
}

/**
 * bufpool_create_sized() - bufpool_create() with a caller's struct
 * @cfg: the configuration, @size bytes; NULL for the defaults
 * @size: sizeof(struct bufpool_config) as the caller was compiled
 *
 * Context: any thread.
 * Return: the pool, or NULL with errno EINVAL (bad @cfg or @size), E2BIG
 * (a field this library does not know is set) or ENOMEM.
 */
struct bufpool *bufpool_create_sized(const struct bufpool_config *cfg, size_t size)
{
	struct bufpool_config full;
	int ret;

	if (!cfg)
		return bufpool_create(NULL);
	ret = config_from_caller(&full, cfg, size);
	if (ret) {
		errno = -ret;
		return NULL;
	}
	return bufpool_create(&full);
}

/**
 * bufpool_get_config_sized() - bufpool_get_config() into a caller's struct
 * @pool: the pool
 * @cfg: filled with the first @size bytes of the pool's configuration
 * @size: sizeof(struct bufpool_config) as the caller was compiled
 *
 * A caller with an older header gets the fields it knows; fields a newer
 * caller has past the library's struct are zeroed.
 *
 * Context: any thread.
 * Return: 0, or -EINVAL for a NULL argument or a @size below the first
 * release's (BUFPOOL_CONFIG_SIZE_V1).
 */
int bufpool_get_config_sized(struct bufpool *pool, struct bufpool_config *cfg, size_t size)
{
	struct bufpool_config full;
	int ret;

	if (!cfg || size < BUFPOOL_CONFIG_SIZE_V1)
		return -EINVAL;
	ret = bufpool_get_config(pool, &full);
	if (ret)
		return ret;
	memcpy(cfg, &full, min(size, sizeof(full)));
	if (size > sizeof(full))
		memset((char *)cfg + sizeof(full), 0, size - sizeof(full));
	return 0;
}
