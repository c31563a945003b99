// SPDX-License-Identifier: MIT
/* An empty preload object: the baseline for what any LD_PRELOAD costs. */
int amxshim_bench_empty_marker;
