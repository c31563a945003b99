/* SPDX-License-Identifier: MIT */
/* For the emulator's cmocka tests: fn run in a child with the emulator installed and the default SIGILL
 * disposition (not cmocka's handler: what the emulator passes on must kill), its stderr collected. */
#ifndef AMXEMU_TEST_INCHILD_H
#define AMXEMU_TEST_INCHILD_H

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include "amxemu.h" /* -Iemu, as the tests that include this */

/* The child's stderr (static buffer) and the signal that killed it in *sig (0: it exited). */
static inline const char *in_child(void (*fn)(void), int *sig)
{
	static char buf[1024];
	int fd[2], st;
	ssize_t n, got = 0;
	pid_t pid;

	assert_int_equal(pipe(fd), 0);
	pid = fork();
	if (pid == 0) {
		dup2(fd[1], 2);
		close(fd[0]);
		signal(SIGILL, SIG_DFL);
		amxemu_install();
		fn();
		_exit(0);
	}
	close(fd[1]);
	while ((n = read(fd[0], buf + got, sizeof buf - 1 - (size_t)got)) > 0)
		got += n;
	buf[got] = 0;
	close(fd[0]);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	*sig = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
	return buf;
}

#endif
