// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * cxx_test.cc - libbufpool from C++11: the public headers compile as C++
 * and their functions link (extern "C").  scripts/check-headers builds it
 * against the static and the shared library and runs it; exit 0 when every
 * check holds, else a line per failure on stderr.
 */
#include <bufpool.h>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace {

int failures;

void expect(bool ok, const char *what)
{
	if (!ok) {
		std::fprintf(stderr, "cxx_test: failed: %s\n", what);
		failures++;
	}
}

struct pool_deleter {
	void operator()(bufpool *p) const { bufpool_destroy(p); }
};

} // namespace

int main()
{
	bufpool_config cfg;

	bufpool_config_init(&cfg);
	cfg.nr_arenas = 2;
	cfg.name = "cxx";
	std::unique_ptr<bufpool, pool_deleter> pool(bufpool_create(&cfg));
	expect(pool != nullptr, "bufpool_create");
	if (!pool)
		return 1;

	expect(bufpool_version() == BUFPOOL_VERSION, "bufpool_version() == BUFPOOL_VERSION");

	void *p = bufpool_alloc(pool.get(), 100);
	expect(p != nullptr, "bufpool_alloc");
	expect(bufpool_usable_size(pool.get(), p) == 112, "usable size of 100 bytes is 112");
	std::memset(p, 0x5a, 100);
	bufpool_free(pool.get(), p);

	bufpool_config got;
	expect(bufpool_get_config(pool.get(), &got) == 0, "bufpool_get_config");
	expect(got.nr_arenas == 2 && std::strcmp(got.name, "cxx") == 0, "config read back");

	bufpool_buf *b = bufpool_buf_alloc(pool.get(), 16, 1024);
	expect(b != nullptr, "bufpool_buf_alloc");
	if (b) {
		uint32_t v = 0;

		expect(bufpool_buf_write_u32(b, 0xdeadbeef) == 0, "bufpool_buf_write_u32");
		expect(bufpool_buf_read_u32(b, &v) == 0 && v == 0xdeadbeef, "bufpool_buf_read_u32");
		expect(bufpool_buf_release(b) == 1, "bufpool_buf_release frees it");
	}

	bufpool_stats st;
	expect(bufpool_get_stats(pool.get(), &st) == 0, "bufpool_get_stats");
	expect(st.allocations >= 1 && st.frees >= 1, "stats count the allocation");

	char conf[] = "page_size:4096,bogus:1";
	char why[256];
	expect(bufpool_config_parse(&cfg, conf, why, sizeof(why)) == -EINVAL &&
	       std::strstr(why, "unknown key 'bogus'"), "bufpool_config_parse error");

	if (failures)
		return 1;
	std::printf("cxx_test: libbufpool %d.%d.%d from C++ ok\n", BUFPOOL_VERSION_MAJOR,
		    BUFPOOL_VERSION_MINOR, BUFPOOL_VERSION_PATCH);
	return 0;
}
