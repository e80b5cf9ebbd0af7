// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * malloc_cxx.cc - C++ on libbufpool-malloc.so (scripts/malloc-check):
 * new and delete reach malloc() and free() through libstdc++.  Containers,
 * strings, shared_ptr and threads; prints one sum per thread, which must
 * be the same with and without the preload.
 */
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

static unsigned long work(unsigned int seed)
{
	std::map<std::string, std::vector<int>> m;
	unsigned long sum = 0;

	for (unsigned int i = 0; i < 20000; i++) {
		seed = seed * 1103515245 + 12345;
		auto &v = m[std::to_string(seed % 997)];
		v.push_back(seed >> 16);
		if (v.size() > 40)
			v.erase(v.begin(), v.begin() + 20);
	}
	for (auto &kv : m)
		for (int x : kv.second)
			sum += x + kv.first.size();
	return sum;
}

int main()
{
	std::vector<std::thread> t;
	std::vector<std::shared_ptr<unsigned long>> r;

	for (unsigned int i = 0; i < 4; i++)
		r.push_back(std::make_shared<unsigned long>(0));
	for (unsigned int i = 0; i < 4; i++)
		t.emplace_back([i, &r] { *r[i] = work(i + 1); });
	for (auto &th : t)
		th.join();
	for (auto &p : r)
		std::printf("%lu\n", *p);
	return 0;
}
