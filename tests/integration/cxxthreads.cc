// SPDX-License-Identifier: MIT
// cxxthreads: a C++ program using std::thread, for the transparency test.
#include <cstdio>
#include <thread>
#include <vector>

int main()
{
	std::vector<unsigned long> sums(8);
	std::vector<std::thread> threads;
	for (unsigned i = 0; i < sums.size(); i++)
		threads.emplace_back([&sums, i] {
			unsigned long s = 0;
			for (unsigned long k = 0; k < 100000ul * (i + 1); k++)
				s += k ^ i;
			sums[i] = s;
		});
	for (auto &t : threads)
		t.join();
	for (unsigned i = 0; i < sums.size(); i++)
		std::printf("thread %u: %lu\n", i, sums[i]);
	std::fprintf(stderr, "cxxthreads: %zu threads joined\n", threads.size());
	return 4;
}
