/* SPDX-License-Identifier: MIT */
/* amxinfo --nfd (tools/nfd.c): a Kubernetes Node Feature Discovery feature file. */
#ifndef AMXINFO_NFD_H
#define AMXINFO_NFD_H
#include <stdio.h>

/* Prints the feature file for the decision of a process that asks for permission: asked in a child, or in
 * this process when `request`. With `verify`, verify_run() has been called and its results are labelled.
 * Returns 0, or 2 after a message on stderr when no child could give the decision (nothing printed). */
int nfd_print(FILE *out, int request, int verify);
#endif
