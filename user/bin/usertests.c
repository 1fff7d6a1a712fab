/*
 * usertests - the system's own test suite, run inside the guest against
 * the xv6 API: processes, pipes, files and directories, memory, bad
 * arguments, kill, limits, copy-on-write, and a driver restart.
 *
 * Each test runs in a child of its own, so a test that crashes or leaks
 * fds or memory cannot spoil the next one; a test passes when its child
 * exits with status 0. One line per test, "test NAME: OK" or "test NAME:
 * FAILED: why", then "ALL TESTS PASSED" or "SOME TESTS FAILED". Last, the
 * suite checks that it leaked no processes (zombies). `usertests -q` runs
 * every test at a smaller size (fewer rounds and files, a big file that
 * stops in the indirect block); `usertests NAME...` runs only the tests whose names
 * start with one of the NAMEs (a NAME may be a comma-separated list, for
 * a system that passes a program just one argument). Files are made in the current directory, named ut*.
 */
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/fcntl.h"
#include "kernel/param.h"
#include "kernel/fs.h"
#include "user/user.h"

/* A test's verdict: print why and end the test's process with status
 * TEST_FAILED. (A macro, so the message can be a format with arguments:
 * the API has no vprintf.) */
#define TEST_FAILED 97
#define FAIL(...)                                \
	do {                                     \
		printf("FAILED: " __VA_ARGS__);  \
		printf("\n");                    \
		exit(TEST_FAILED);               \
	} while (0)
#define CHECK(cond, ...)                         \
	do {                                     \
		if (!(cond))                     \
			FAIL(__VA_ARGS__);       \
	} while (0)

static int quick;   /* -q: smaller counts and sizes */

/* Addresses no program may pass to a system call. */
#define ADDR_UNMAPPED ((char *)0x4000000000ul)          /* far above any mapping */
#define ADDR_KERNEL   ((char *)0xffffffc080200000ul)    /* the kernel's text */

static char buf[BSIZE * 8];

/* --- helpers ------------------------------------------------------------------- */

/* fork(), or the test fails. */
static int xfork(void)
{
	int pid = fork();

	CHECK(pid >= 0, "fork failed");
	return pid;
}

/* Wait for child pid; returns its exit status. */
static int xwait(int pid)
{
	int status = -12345;
	int got = wait(&status);

	CHECK(got == pid, "wait returned %d, want %d", got, pid);
	return status;
}

static int xopen(const char *path, int mode)
{
	int fd = open(path, mode);

	CHECK(fd >= 0, "cannot open %s (mode %x)", path, mode);
	return fd;
}

/* Make file path hold n bytes of pattern seed. */
static void write_file(const char *path, int n, int seed)
{
	int fd = xopen(path, O_CREATE | O_WRONLY | O_TRUNC);

	for (int done = 0; done < n;) {
		int chunk = n - done < (int)sizeof(buf) ? n - done : (int)sizeof(buf);

		for (int i = 0; i < chunk; i++)
			buf[i] = (char)(seed + done + i);
		CHECK(write(fd, buf, chunk) == chunk, "write to %s failed at %d", path, done);
		done += chunk;
	}
	close(fd);
}

/* File path holds exactly n bytes of pattern seed. */
static void check_file(const char *path, int n, int seed)
{
	int fd = xopen(path, O_RDONLY);
	int done = 0, r;

	while ((r = read(fd, buf, sizeof(buf))) > 0) {
		for (int i = 0; i < r; i++)
			CHECK(buf[i] == (char)(seed + done + i), "%s: byte %d is wrong", path, done + i);
		done += r;
	}
	CHECK(r == 0, "read of %s failed at %d", path, done);
	CHECK(done == n, "%s holds %d bytes, want %d", path, done, n);
	close(fd);
}

static uint64 file_size(const char *path)
{
	struct stat st;

	CHECK(stat(path, &st) == 0, "cannot stat %s", path);
	return st.size;
}

/* Name "prefix" followed by the number i, into name (16 bytes). */
static void name_of(char *name, const char *prefix, int i)
{
	int n = strlen(prefix);

	strcpy(name, prefix);
	name[n] = '0' + i / 100 % 10;
	name[n + 1] = '0' + i / 10 % 10;
	name[n + 2] = '0' + i % 10;
	name[n + 3] = '\0';
}

/* Fork children that block until released, as many as the system allows
 * (at most limit). Each child holds the read end of *gate and exits when
 * every write end is closed. Returns the number forked. */
static int fork_blocked(int limit, int gate[2])
{
	int n;

	CHECK(pipe(gate) == 0, "pipe failed");
	for (n = 0; n < limit; n++) {
		int pid = fork();

		if (pid < 0)
			break;
		if (pid == 0) {
			char c;

			close(gate[1]);
			read(gate[0], &c, 1);
			exit(0);
		}
	}
	close(gate[0]);
	return n;
}

/* Release the children of fork_blocked() and wait for all n. */
static void release_blocked(int n, int gate[2])
{
	close(gate[1]);
	for (int i = 0; i < n; i++)
		CHECK(wait(0) >= 0, "a blocked child was lost (%d of %d)", i, n);
}

/* How many more processes the system would start now. */
static int free_proc_slots(void)
{
	int gate[2];
	int n = fork_blocked(NPROC + 1, gate);

	release_blocked(n, gate);
	return n;
}

/* Run program /argv[0] in a child, its output to file out if not 0 (made
 * anew). Returns the child's exit status. */
static int run_program(char **argv, const char *out)
{
	char path[MAXPATH] = "/";
	int pid;

	strcpy(path + 1, argv[0]);
	if (out != 0)
		unlink(out);
	pid = xfork();
	if (pid == 0) {
		if (out != 0) {
			close(1);
			if (open(out, O_CREATE | O_WRONLY) != 1)
				exit(2);
		}
		exec(path, argv);
		exit(3);
	}
	return xwait(pid);
}

/* Run child() in a child that first tells the parent it is about to
 * block, then kill it and check that wait() sees it end. */
static void kill_while(const char *state, void (*child)(void))
{
	int ready[2];
	char c;
	int pid;

	CHECK(pipe(ready) == 0, "pipe failed");
	pid = xfork();
	if (pid == 0) {
		close(ready[0]);
		write(ready[1], "r", 1);
		child();
		exit(0);   /* a child that gets here was not killed */
	}
	close(ready[1]);
	CHECK(read(ready[0], &c, 1) == 1, "the child did not start");
	sleep(2);   /* let it reach the blocking call */
	CHECK(kill(pid) == 0, "kill(%d) failed", pid);
	CHECK(xwait(pid) != 0, "killed %s, the child exited normally", state);
}

/* --- processes --------------------------------------------------------------------- */

static void test_exitwait(void)
{
	int pids[10];

	for (int i = 0; i < 10; i++) {
		pids[i] = xfork();
		if (pids[i] == 0)
			exit(i == 9 ? -7 : i);
	}
	for (int i = 0; i < 10; i++) {
		int status = -12345, j;
		int pid = wait(&status);

		for (j = 0; j < 10 && pids[j] != pid; j++)
			;
		CHECK(j < 10, "wait returned %d, no child of ours", pid);
		CHECK(status == (j == 9 ? -7 : j), "child %d exited %d, want %d", j, status,
		      j == 9 ? -7 : j);
		pids[j] = -1;
	}
	CHECK(wait(0) == -1, "wait without children did not fail");
}

static void test_forkpid(void)
{
	int p[2], child_pid = 0;
	int pid;

	CHECK(pipe(p) == 0, "pipe failed");
	pid = xfork();
	if (pid == 0) {
		int me = getpid();

		write(p[1], &me, sizeof(me));
		exit(0);
	}
	CHECK(read(p[0], &child_pid, sizeof(child_pid)) == sizeof(child_pid), "read failed");
	CHECK(child_pid == pid, "fork returned %d, the child calls itself %d", pid, child_pid);
	CHECK(pid != getpid(), "the child has the parent's pid");
	xwait(pid);
}

/* A child's children outlive it; init takes them, and wait() here must not. */
static void test_reparent(void)
{
	int slots = free_proc_slots();

	for (int i = 0; i < (quick ? 20 : 200); i++) {
		int pid = xfork();

		if (pid == 0) {
			if (fork() < 0)
				exit(1);
			exit(0);
		}
		CHECK(xwait(pid) == 0, "the child could not fork");
		CHECK(wait(0) == -1, "wait returned a grandchild");
	}
	sleep(5);   /* let init reap the orphans */
	CHECK(free_proc_slots() == slots, "orphans were not reaped: %d free slots, were %d",
	      free_proc_slots(), slots);
}

/* Run out of processes: fork must fail, not crash, and work again after. */
static void test_forkfull(void)
{
	int gate[2];
	int n = fork_blocked(NPROC + 10, gate);

	CHECK(n > 0 && n < NPROC, "forked %d processes with NPROC %d", n, NPROC);
	/* fork_blocked() stopped because fork() failed: the table is full. */
	release_blocked(n, gate);
	CHECK(wait(0) == -1, "more children than forked");
	CHECK(free_proc_slots() == n, "fewer processes after the exits");
}

/* crash's fork bomb: every process forks, eight levels deep, so more
 * than NPROC want to exist. fork() must fail, and the system recover. */
static void test_forkbomb(void)
{
	char *argv[] = { "crash", "forkbomb", 0 };

	CHECK(run_program(argv, 0) == 0, "crash forkbomb failed");
	CHECK(free_proc_slots() > 0, "no process slots left after the fork bomb");
}

static void test_exec(void)
{
	char *argv[] = { "echo", "hello", "exec", 0 };
	int fd;
	int status = run_program(argv, "utexec");

	CHECK(status == 0, "echo did not run (status %d)", status);
	fd = xopen("utexec", O_RDONLY);
	memset(buf, 0, 32);
	CHECK(read(fd, buf, 32) == 11, "echo wrote \"%s\"", buf);
	CHECK(strcmp(buf, "hello exec\n") == 0, "echo wrote \"%s\"", buf);
	close(fd);
	unlink("utexec");
}

/* Each exec here must fail. Were one to work, the process would become
 * rm, which fails on these names: the test would end with rm's status. */
static void test_execbad(void)
{
	char *argv[MAXARG + 2];
	int fd;

	argv[0] = "rm";
	for (int i = 1; i <= MAXARG; i++)
		argv[i] = "utnosuchfile";
	argv[MAXARG + 1] = 0;
	CHECK(exec("/rm", argv) == -1, "exec with %d arguments did not fail", MAXARG + 1);
	CHECK(exec("utnosuchfile", argv) == -1, "exec of a missing file did not fail");
	CHECK(exec("/", argv) == -1, "exec of a directory did not fail");
	fd = xopen("utnotelf", O_CREATE | O_WRONLY | O_TRUNC);
	write(fd, "#!not an ELF file, but text\n", 28);
	close(fd);
	CHECK(exec("utnotelf", argv) == -1, "exec of a text file did not fail");
	unlink("utnotelf");
}

/* MAXARG arguments, all of them, reach the program. */
static void test_execargs(void)
{
	char *argv[MAXARG + 1];
	char words[MAXARG][4];
	int fd, n;

	argv[0] = "echo";
	for (int i = 1; i < MAXARG; i++) {
		words[i][0] = 'a' + i % 26;
		words[i][1] = '0' + i % 10;
		words[i][2] = '\0';
		argv[i] = words[i];
	}
	argv[MAXARG] = 0;
	CHECK(run_program(argv, "utargs") == 0, "echo did not run with %d arguments", MAXARG);
	fd = xopen("utargs", O_RDONLY);
	n = read(fd, buf, sizeof(buf));
	close(fd);
	CHECK(n == (MAXARG - 1) * 3, "echo printed %d bytes, want %d", n, (MAXARG - 1) * 3);
	for (int i = 1; i < MAXARG; i++)
		CHECK(buf[(i - 1) * 3] == words[i][0] && buf[(i - 1) * 3 + 1] == words[i][1],
		      "argument %d arrived wrong", i);
	unlink("utargs");
}

/* --- pipes ------------------------------------------------------------------------- */

static void test_pipe(void)
{
	int p[2], pid, total = 0, seq = 0, n, want = 5 * 1033;

	CHECK(pipe(p) == 0, "pipe failed");
	pid = xfork();
	if (pid == 0) {
		close(p[0]);
		for (int i = 0; i < 5; i++) {
			for (int j = 0; j < 1033; j++)
				buf[j] = (char)(seq++);
			if (write(p[1], buf, 1033) != 1033)
				exit(1);
		}
		exit(0);
	}
	close(p[1]);
	for (int size = 1; (n = read(p[0], buf, size)) > 0; size = size * 2 % 3000 + 1) {
		for (int i = 0; i < n; i++)
			CHECK(buf[i] == (char)(total + i), "byte %d is wrong", total + i);
		total += n;
	}
	CHECK(n == 0, "read failed");
	CHECK(total == want, "read %d bytes, want %d", total, want);
	CHECK(xwait(pid) == 0, "the writer failed");
}

static void test_pipeends(void)
{
	int p[2], r;
	char c;

	CHECK(pipe(p) == 0, "pipe failed");
	CHECK(p[0] >= 0 && p[1] > p[0], "pipe gave fds %d and %d", p[0], p[1]);
	close(p[1]);
	CHECK((r = read(p[0], &c, 1)) == 0, "read with no writer returned %d, want 0", r);
	close(p[0]);
	CHECK(pipe(p) == 0, "pipe failed");
	close(p[0]);
	CHECK((r = write(p[1], "x", 1)) == -1, "write with no reader returned %d, want -1", r);
	close(p[1]);
	CHECK(pipe(p) == 0, "pipe failed");
	CHECK(write(p[0], "x", 1) == -1, "write to the read end did not fail");
	CHECK(read(p[1], &c, 1) == -1, "read from the write end did not fail");
}

/* A pipe bigger than any buffer: the writer must block, then go on. */
static void test_pipebig(void)
{
	int p[2], pid, total = 0, n, want = quick ? 64 * 1024 : 512 * 1024;

	CHECK(pipe(p) == 0, "pipe failed");
	pid = xfork();
	if (pid == 0) {
		close(p[0]);
		for (int done = 0; done < want; done += sizeof(buf)) {
			for (int i = 0; i < (int)sizeof(buf); i++)
				buf[i] = (char)((done + i) / 7);
			if (write(p[1], buf, sizeof(buf)) != (int)sizeof(buf))
				exit(1);
		}
		exit(0);
	}
	close(p[1]);
	sleep(1);   /* the writer fills the pipe and blocks */
	while ((n = read(p[0], buf, sizeof(buf))) > 0) {
		for (int i = 0; i < n; i++)
			CHECK(buf[i] == (char)((total + i) / 7), "byte %d is wrong", total + i);
		total += n;
	}
	CHECK(total == want, "read %d bytes, want %d", total, want);
	CHECK(xwait(pid) == 0, "the writer failed");
}

/* --- kill, in every state a process can wait in ------------------------------------------ */

/* block_in_wait's grandchild reads this pipe; the test closes it at the end. */
static int kill_pipe[2];

static void spin(void)
{
	for (volatile int i = 0;; i++)
		;
}

/* A pipe of its own that no one writes. */
static void block_in_pipe_read(void)
{
	int p[2];
	char c;

	if (pipe(p) == 0)
		read(p[0], &c, 1);
}

/* A pipe of its own that no one reads. */
static void block_in_pipe_write(void)
{
	int p[2];

	if (pipe(p) == 0)
		for (;;)
			write(p[1], buf, sizeof(buf));
}

static void block_in_sleep(void)
{
	sleep(100000);
}

static void block_in_console_read(void)
{
	char c;

	read(0, &c, 1);
}

/* Write a file again and again: most of the time is spent waiting for
 * the file server and its disk. */
static void block_in_file_write(void)
{
	for (;;) {
		int fd = open("utkill", O_CREATE | O_WRONLY | O_TRUNC);

		for (int i = 0; i < 8 && fd >= 0; i++)
			write(fd, buf, BSIZE);
		close(fd);
	}
}

static void block_in_wait(void)
{
	if (fork() == 0) {
		char c;

		close(kill_pipe[1]);
		read(kill_pipe[0], &c, 1);
		exit(0);
	}
	wait(0);
}

static void test_kill(void)
{
	CHECK(pipe(kill_pipe) == 0, "pipe failed");
	kill_while("spinning", spin);
	kill_while("reading an empty pipe", block_in_pipe_read);
	kill_while("writing a full pipe", block_in_pipe_write);
	kill_while("in sleep()", block_in_sleep);
	kill_while("reading the console", block_in_console_read);
	kill_while("in wait()", block_in_wait);
	kill_while("writing a file", block_in_file_write);
	CHECK(unlink("utkill") == 0, "the killed writer's file is gone");
	write_file("utkill", 3 * BSIZE, 5);      /* the file system still works */
	check_file("utkill", 3 * BSIZE, 5);
	unlink("utkill");
	/* The grandchild of block_in_wait still reads: end it (init reaps it). */
	close(kill_pipe[1]);
	close(kill_pipe[0]);
	CHECK(kill(-1) == -1, "kill(-1) did not fail");
	CHECK(kill(0) == -1, "kill(0) did not fail");
	CHECK(kill(1000000) == -1, "kill of no process did not fail");
}

/* --- files ------------------------------------------------------------------------- */

static void test_files(void)
{
	int fd;
	char c;

	unlink("utfile");
	CHECK(open("utfile", O_RDONLY) == -1, "opened a file that does not exist");
	fd = xopen("utfile", O_CREATE | O_RDWR);
	CHECK(write(fd, "hello, ", 7) == 7 && write(fd, "world", 5) == 5, "write failed");
	close(fd);
	CHECK(file_size("utfile") == 12, "size %d, want 12", (int)file_size("utfile"));
	fd = xopen("utfile", O_RDONLY);
	CHECK(read(fd, buf, 5) == 5 && memcmp(buf, "hello", 5) == 0, "first read wrong");
	CHECK(read(fd, buf, 100) == 7 && memcmp(buf, ", world", 7) == 0, "second read wrong");
	CHECK(read(fd, buf, 100) == 0, "no end of file");
	CHECK(write(fd, "x", 1) == -1, "wrote to a read-only fd");
	close(fd);
	fd = xopen("utfile", O_WRONLY);
	CHECK(read(fd, &c, 1) == -1, "read from a write-only fd");
	CHECK(write(fd, "J", 1) == 1, "write failed");
	close(fd);
	fd = xopen("utfile", O_RDONLY);
	CHECK(read(fd, &c, 1) == 1 && c == 'J', "an overwrite did not land at offset 0");
	close(fd);
	close(xopen("utfile", O_WRONLY | O_TRUNC));
	CHECK(file_size("utfile") == 0, "O_TRUNC left %d bytes", (int)file_size("utfile"));
	CHECK(unlink("utfile") == 0, "unlink failed");
	CHECK(unlink("utfile") == -1, "unlinked a file twice");
	CHECK(close(NOFILE) == -1 && close(-1) == -1 && close(100) == -1, "closed a bad fd");
	CHECK(read(NOFILE, buf, 1) == -1 && write(-1, buf, 1) == -1, "used a bad fd");
}

/* An open file outlives its name. */
static void test_unlinkopen(void)
{
	int fd, fd2;

	write_file("utunl", 5000, 1);
	fd = xopen("utunl", O_RDWR);
	CHECK(unlink("utunl") == 0, "unlink failed");
	write_file("utunl", 100, 2);
	CHECK(read(fd, buf, sizeof(buf)) == 5000, "the unlinked file lost its data");
	for (int i = 0; i < 5000; i++)
		CHECK(buf[i] == (char)(1 + i), "byte %d of the unlinked file is wrong", i);
	CHECK(write(fd, "more", 4) == 4, "cannot write to the unlinked file");
	close(fd);
	check_file("utunl", 100, 2);
	fd2 = xopen("utunl", O_RDONLY);
	close(fd2);
	unlink("utunl");
}

static void test_manyfiles(void)
{
	int n = quick ? 40 : 200;
	char name[16];

	for (int i = 0; i < n; i++) {
		name_of(name, "utm", i);
		write_file(name, i * 3, i);
	}
	for (int i = 0; i < n; i++) {
		name_of(name, "utm", i);
		check_file(name, i * 3, i);
	}
	for (int i = 0; i < n; i++) {
		name_of(name, "utm", i);
		CHECK(unlink(name) == 0, "cannot unlink %s", name);
		CHECK(open(name, O_RDONLY) == -1, "%s is still there", name);
	}
}

/* A file past the direct blocks into the indirect one (-q), or past that
 * into the doubly indirect one, written and read back block by block. */
static void test_bigfile(void)
{
	int blocks = quick ? NDIRECT + 10 : NDIRECT + NINDIRECT + 10;
	int fd = xopen("utbig", O_CREATE | O_RDWR | O_TRUNC);

	for (int b = 0; b < blocks; b++) {
		for (int i = 0; i < BSIZE; i += sizeof(int))
			*(int *)(buf + i) = b * BSIZE + i;
		CHECK(write(fd, buf, BSIZE) == BSIZE, "write of block %d failed", b);
	}
	close(fd);
	CHECK(file_size("utbig") == (uint64)blocks * BSIZE, "size %d, want %d",
	      (int)file_size("utbig"), blocks * BSIZE);
	fd = xopen("utbig", O_RDONLY);
	for (int b = 0; b < blocks; b++) {
		CHECK(read(fd, buf, BSIZE) == BSIZE, "read of block %d failed", b);
		for (int i = 0; i < BSIZE; i += sizeof(int))
			CHECK(*(int *)(buf + i) == b * BSIZE + i, "block %d offset %d is wrong", b, i);
	}
	CHECK(read(fd, buf, 1) == 0, "more than was written");
	close(fd);
	CHECK(unlink("utbig") == 0, "unlink failed");
}

/* Writes and reads that straddle blocks, in odd sizes. */
static void test_oddsizes(void)
{
	int fd = xopen("utodd", O_CREATE | O_RDWR | O_TRUNC), total = 0;

	for (int size = 1; size < 3 * BSIZE; size = size * 3 + 1) {
		for (int i = 0; i < size; i++)
			buf[i] = (char)(total + i);
		CHECK(write(fd, buf, size) == size, "write of %d failed", size);
		total += size;
	}
	close(fd);
	check_file("utodd", total, 0);
	unlink("utodd");
}

static void test_dirs(void)
{
	struct stat st, root_st;
	int fd;

	unlink("utdir/f");
	unlink("utdir/sub");
	unlink("utdir");
	CHECK(mkdir("utdir") == 0, "mkdir failed");
	CHECK(mkdir("utdir") == -1, "made a directory twice");
	write_file("utdir/f", 10, 3);
	CHECK(chdir("utdir") == 0, "chdir failed");
	check_file("f", 10, 3);
	check_file("../utdir/f", 10, 3);
	check_file("./f", 10, 3);
	CHECK(mkdir("sub") == 0, "mkdir of a subdirectory failed");
	CHECK(chdir("sub/..") == 0, "chdir sub/.. failed");
	check_file("f", 10, 3);
	CHECK(chdir("..") == 0, "chdir .. failed");
	check_file("utdir/f", 10, 3);
	CHECK(chdir("utdir/f") == -1, "chdir into a file");
	CHECK(open("utdir", O_RDWR) == -1 && open("utdir", O_WRONLY) == -1,
	      "opened a directory for writing");
	CHECK(open("utdir/f/x", O_CREATE | O_RDWR) == -1, "made a file inside a file");
	CHECK(mkdir("utdir/f/x") == -1, "made a directory inside a file");
	CHECK(mkdir("utnodir/x") == -1, "made a directory in a missing one");
	CHECK(unlink("utdir") == -1, "removed a directory that is not empty");
	CHECK(unlink("utdir/.") == -1 && unlink("utdir/..") == -1, "removed . or ..");
	CHECK(stat("utdir", &st) == 0 && st.type == T_DIR, "utdir is not a directory");
	CHECK(stat("/", &root_st) == 0 && stat("/..", &st) == 0 && st.ino == root_st.ino,
	      "/.. is not /");
	/* The directory lists its entries, . and .. first. */
	fd = xopen("utdir", O_RDONLY);
	{
		struct dirent de;
		int dot = 0, dotdot = 0, f = 0, sub = 0;

		while (read(fd, &de, sizeof(de)) == sizeof(de)) {
			if (de.inum == 0)
				continue;
			dot += strcmp(de.name, ".") == 0;
			dotdot += strcmp(de.name, "..") == 0;
			f += strcmp(de.name, "f") == 0;
			sub += strcmp(de.name, "sub") == 0;
		}
		CHECK(dot == 1 && dotdot == 1 && f == 1 && sub == 1,
		      "entries . %d, .. %d, f %d, sub %d", dot, dotdot, f, sub);
	}
	close(fd);
	CHECK(unlink("utdir/sub") == 0 && unlink("utdir/f") == 0 && unlink("utdir") == 0,
	      "cannot clean up");
}

/* Directories within directories, deeper than the inode cache is big. */
static void test_deepdirs(void)
{
	int depth = NINODE + 5;

	for (int i = 0; i < depth; i++) {
		CHECK(mkdir("utd") == 0, "mkdir at depth %d failed", i);
		CHECK(chdir("utd") == 0, "chdir at depth %d failed", i);
	}
	write_file("deep", 50, 9);
	check_file("deep", 50, 9);
	CHECK(unlink("deep") == 0, "unlink failed");
	for (int i = 0; i < depth; i++) {
		CHECK(chdir("..") == 0, "chdir .. failed");
		CHECK(unlink("utd") == 0, "unlink at depth %d failed", depth - i);
	}
}

static void test_paths(void)
{
	char path[MAXPATH + 20];

	for (int i = 0; i < (int)sizeof(path) - 1; i++)
		path[i] = i % 2 ? '/' : 'a';
	path[sizeof(path) - 1] = '\0';
	CHECK(open(path, O_CREATE | O_RDWR) == -1, "opened a path longer than MAXPATH");
	CHECK(mkdir(path) == -1 && chdir(path) == -1 && unlink(path) == -1, "used a long path");
	CHECK(mkdir("") == -1, "made a directory with no name");
}

static void test_links(void)
{
	struct stat st;
	int fd;

	unlink("utl1");
	unlink("utl2");
	write_file("utl1", 20, 4);
	CHECK(link("utl1", "utl2") == 0, "link failed");
	CHECK(link("utl1", "utl2") == -1, "linked over an existing name");
	CHECK(link("utnosuch", "utl3") == -1, "linked a missing file");
	CHECK(link(".", "utl3") == -1, "linked a directory");
	fd = xopen("utl2", O_RDONLY);
	CHECK(fstat(fd, &st) == 0 && st.nlink == 2, "nlink %d, want 2", st.nlink);
	close(fd);
	write_file("utl2", 30, 5);
	check_file("utl1", 30, 5);
	CHECK(unlink("utl1") == 0, "unlink failed");
	check_file("utl2", 30, 5);
	CHECK(stat("utl2", &st) == 0 && st.nlink == 1, "nlink %d, want 1", st.nlink);
	CHECK(unlink("utl2") == 0, "unlink failed");
}

static void test_symlinks(void)
{
	struct stat st;
	int fd;

	unlink("uts");
	unlink("uttarget");
	unlink("utloop1");
	unlink("utloop2");
	CHECK(symlink("uttarget", "uts") == 0, "symlink failed");
	CHECK(open("uts", O_RDONLY) == -1, "opened a link to a missing file");
	write_file("uttarget", 40, 6);
	check_file("uts", 40, 6);
	fd = xopen("uts", O_RDONLY | O_NOFOLLOW);
	CHECK(fstat(fd, &st) == 0 && st.type == T_SYMLINK, "O_NOFOLLOW gave type %d", st.type);
	close(fd);
	CHECK(symlink("utloop2", "utloop1") == 0 && symlink("utloop1", "utloop2") == 0,
	      "symlink failed");
	CHECK(open("utloop1", O_RDONLY) == -1, "opened a loop of links");
	CHECK(unlink("uts") == 0, "unlink of the link failed");
	check_file("uttarget", 40, 6);
	unlink("uttarget");
	unlink("utloop1");
	unlink("utloop2");
}

/* Two processes create and unlink the same names at once. */
static void test_createrace(void)
{
	int n = quick ? 20 : 60;
	char name[16];
	int pid = xfork();
	struct dirent de;
	int fd;

	for (int round = 0; round < 4; round++) {
		for (int i = 0; i < n; i++) {
			name_of(name, "utc", i);
			if ((i + round + (pid == 0)) % 3 == 0) {
				unlink(name);
			} else {
				fd = open(name, O_CREATE | O_RDWR);
				CHECK(fd >= 0, "cannot create %s", name);
				close(fd);
			}
		}
	}
	if (pid == 0)
		exit(0);
	CHECK(xwait(pid) == 0, "the child failed");
	/* Every name either is in the directory and opens, or is neither. */
	fd = xopen(".", O_RDONLY);
	while (read(fd, &de, sizeof(de)) == sizeof(de)) {
		int ok;

		if (de.inum == 0 || de.name[0] != 'u' || de.name[1] != 't' || de.name[2] != 'c')
			continue;
		memmove(name, de.name, DIRSIZ);
		name[DIRSIZ] = '\0';
		ok = open(name, O_RDONLY);
		CHECK(ok >= 0, "%s is listed but does not open", name);
		close(ok);
	}
	close(fd);
	for (int i = 0; i < n; i++) {
		name_of(name, "utc", i);
		unlink(name);
		CHECK(open(name, O_RDONLY) == -1, "%s is still there", name);
	}
}

/* One process links and unlinks a name while another makes and removes it. */
static void test_linkrace(void)
{
	int pid = xfork();

	unlink("utlr1");
	for (int i = 0; i < (quick ? 50 : 300); i++) {
		if (pid == 0) {
			int fd = open("utlr0", O_CREATE | O_RDWR);

			if (fd >= 0) {
				write(fd, "x", 1);
				close(fd);
			}
			unlink("utlr0");
		} else {
			link("utlr0", "utlr1");
			unlink("utlr1");
		}
	}
	if (pid == 0)
		exit(0);
	CHECK(xwait(pid) == 0, "the child failed");
	unlink("utlr0");
	unlink("utlr1");
	CHECK(open("utlr0", O_RDONLY) == -1 && open("utlr1", O_RDONLY) == -1, "names left over");
}

/* Two processes append through one shared fd: the offset is shared. */
static void test_sharedfd(void)
{
	int fd = xopen("utshared", O_CREATE | O_RDWR | O_TRUNC);
	int pid = xfork();
	int xs = 0, ys = 0, n;

	for (int i = 0; i < 100; i++)
		CHECK(write(fd, pid == 0 ? "x" : "y", 1) == 1, "write failed");
	if (pid == 0)
		exit(0);
	CHECK(xwait(pid) == 0, "the child failed");
	close(fd);
	fd = xopen("utshared", O_RDONLY);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (int i = 0; i < n; i++) {
			xs += buf[i] == 'x';
			ys += buf[i] == 'y';
		}
	close(fd);
	CHECK(xs == 100 && ys == 100, "%d x and %d y, want 100 each", xs, ys);
	unlink("utshared");
}

static void test_dup(void)
{
	int fd = xopen("utdup", O_CREATE | O_RDWR | O_TRUNC);
	int fd2 = dup(fd);

	CHECK(fd2 > fd, "dup returned %d", fd2);
	CHECK(write(fd, "ab", 2) == 2 && write(fd2, "cd", 2) == 2, "write failed");
	close(fd);
	CHECK(write(fd2, "e", 1) == 1, "the dup died with the original");
	close(fd2);
	fd = xopen("utdup", O_RDONLY);
	CHECK(read(fd, buf, 10) == 5 && memcmp(buf, "abcde", 5) == 0, "dup does not share the offset");
	close(fd);
	CHECK(dup(-1) == -1 && dup(NOFILE) == -1 && dup(fd) == -1, "dup of a bad fd");
	unlink("utdup");
}

/* Run out of file descriptors: open and dup fail, and work again after close. */
static void test_fdfull(void)
{
	int fds[NOFILE], n = 0, fd;

	close(xopen("utfd", O_CREATE | O_RDWR));
	while ((fd = open("utfd", O_RDONLY)) >= 0) {
		CHECK(n < NOFILE, "more than NOFILE (%d) fds", NOFILE);
		fds[n++] = fd;
	}
	CHECK(n == NOFILE - 3, "opened %d files, want NOFILE - 3 = %d", n, NOFILE - 3);
	CHECK(dup(0) == -1, "dup with no free fd");
	close(fds[n - 1]);
	CHECK(dup(0) == fds[n - 1], "dup did not take the freed fd");
	for (int i = 0; i < n; i++)
		close(fds[i]);
	CHECK((fd = open("utfd", O_RDONLY)) == 3, "open after close returned %d, want 3", fd);
	unlink("utfd");
}

/* A pipe with no free fd for its second end fails whole. */
static void test_fdfullpipe(void)
{
	int fds[NOFILE], n = 0, p[2] = { -7, -7 };

	close(xopen("utpf", O_CREATE | O_RDWR));
	while (n < NOFILE - 4 && (fds[n] = open("utpf", O_RDONLY)) >= 0)
		n++;
	CHECK(pipe(p) == -1, "pipe with one free fd succeeded");
	CHECK(open("utpf", O_RDONLY) >= 0, "the free fd was taken");
	for (int i = 0; i < n; i++)
		close(fds[i]);
	unlink("utpf");
}

static void test_console(void)
{
	struct stat st;

	CHECK(fstat(1, &st) == 0 && st.type == T_DEVICE, "fd 1 is not the console device");
	CHECK(fstat(2, &st) == 0 && st.type == T_DEVICE, "fd 2 is not the console device");
	CHECK(write(1, "", 0) == 0, "an empty write to the console");
}

static void test_time(void)
{
	int t0 = uptime(), t1;

	CHECK(t0 >= 0, "uptime failed");
	CHECK(sleep(5) == 0, "sleep failed");
	t1 = uptime();
	CHECK(t1 - t0 >= 5, "slept %d ticks, want 5", t1 - t0);
	CHECK(sleep(0) == 0, "sleep(0) failed");
}

/* --- bad pointers, to every call that takes one --------------------------------------------- */

static void test_badptr(void)
{
	char *bad[] = { 0, ADDR_UNMAPPED, ADDR_KERNEL };
	char *text = (char *)(uint64)test_badptr;
	char *heap_end, *last;
	char *argv[] = { "echo", 0, 0 };
	int fd;

	/* Move the break to a page boundary: nothing is mapped above it. */
	sbrk((4096 - (uint64)sbrk(0) % 4096) % 4096);
	heap_end = sbrk(0);
	write_file("utbad", 100, 7);
	fd = xopen("utbad", O_RDWR);
	for (int i = 0; i < 3; i++) {
		char *b = bad[i];

		CHECK(write(fd, b, 10) == -1, "write from %p", b);
		CHECK(read(fd, b, 10) == -1, "read into %p", b);
		CHECK(open(b, O_RDONLY) == -1 && open(b, O_CREATE | O_RDWR) == -1, "open(%p)", b);
		CHECK(fstat(fd, (struct stat *)b) == -1, "fstat into %p", b);
		CHECK(pipe((int *)b) == -1, "pipe into %p", b);
		CHECK(exec(b, argv) == -1, "exec(%p)", b);
		CHECK(exec("/echo", (char **)b) == -1, "exec with argv %p", b);
		argv[1] = b;
		CHECK(exec("/echo", argv) == -1, "exec with argv[1] %p", b);
		argv[1] = 0;
		CHECK(mkdir(b) == -1 && chdir(b) == -1 && unlink(b) == -1, "path %p", b);
		CHECK(link(b, "utx") == -1 && link("utbad", b) == -1, "link with %p", b);
		CHECK(symlink(b, "utx") == -1 && symlink("utbad", b) == -1, "symlink with %p", b);
		CHECK(mknod(b, 1, 0) == -1, "mknod(%p)", b);
		CHECK(stat(b, (struct stat *)buf) == -1, "stat(%p)", b);
	}
	/* Text is readable but not writable: the server must not write it. */
	close(fd);
	fd = xopen("utbad", O_RDONLY);
	CHECK(read(fd, text, 10) == -1, "read into the program's text");
	CHECK(fstat(fd, (struct stat *)text) == -1, "fstat into the program's text");
	CHECK(pipe((int *)text) == -1, "pipe into the program's text");
	close(fd);
	/* A buffer that runs off the end of the heap. */
	fd = xopen("utbad", O_RDONLY);
	CHECK(read(fd, heap_end - 10, 100) == -1, "read past the end of the heap");
	close(fd);
	fd = xopen("utbad", O_WRONLY);
	CHECK(write(fd, heap_end - 10, 100) != 100, "write from past the end of the heap");
	CHECK(write(fd, buf, -1) == -1 && read(fd, buf, -5) == -1, "a negative count");
	close(fd);
	/* A path whose last bytes are the last of the heap, with no nul. */
	last = sbrk(4096);
	memset(last, 'a', 4096);
	CHECK(open(last + 4096 - 3, O_RDONLY) == -1, "open of a path with no end");
	CHECK(mkdir(last + 4096 - 3) == -1, "mkdir of a path with no end");
	sbrk(-4096);
	{
		int status;
		int pid = xfork();

		if (pid == 0)
			exit(0);
		CHECK(wait((int *)ADDR_KERNEL) == -1, "wait wrote to the kernel");
		wait(&status);
	}
	unlink("utbad");
	unlink("utx");
}

/* --- memory ------------------------------------------------------------------------- */

static void test_sbrk(void)
{
	char *start = sbrk(0), *p;
	int pid;

	p = sbrk(10 * 4096);
	CHECK(p == start, "sbrk returned %p, want %p", p, start);
	for (int i = 0; i < 10 * 4096; i += 512)
		p[i] = (char)i;
	CHECK(sbrk(0) == start + 10 * 4096, "the break did not move");
	CHECK(sbrk(1) == start + 10 * 4096 && sbrk(4095) == start + 10 * 4096 + 1,
	      "odd sizes are not contiguous");
	start[10 * 4096 + 4000] = 1;
	for (int i = 0; i < 10 * 4096; i += 512)
		CHECK(p[i] == (char)i, "the heap lost byte %d", i);
	/* Shrink: the memory must be gone. */
	CHECK(sbrk(-5 * 4096) == start + 11 * 4096, "shrink returned the wrong break");
	CHECK(sbrk(0) == start + 6 * 4096, "the break did not shrink");
	pid = xfork();
	if (pid == 0) {
		volatile char *gone = start + 7 * 4096;

		*gone = 1;
		exit(0);   /* it must not get here */
	}
	CHECK(xwait(pid) != 0, "a write to freed heap did not fault");
	/* Too much, too little: errors, and the break stays. */
	p = sbrk(0);
	CHECK(sbrk(0x7fffffff) == (char *)-1, "sbrk of 2 GiB did not fail");
	CHECK(sbrk(-0x7fffffff) == (char *)-1, "sbrk below the program did not fail");
	CHECK(sbrk(0) == p, "a failed sbrk moved the break");
	/* A child's heap is its own. */
	pid = xfork();
	if (pid == 0) {
		sbrk(20 * 4096);
		exit(0);
	}
	xwait(pid);
	CHECK(sbrk(0) == p, "the child's sbrk moved the parent's break");
}

/* Take memory until there is none: sbrk fails or the process is killed,
 * and the memory comes back when it ends. */
static void test_sbrkfull(void)
{
	int pid = xfork();

	if (pid == 0) {
		for (;;) {
			char *p = sbrk(1 << 20);

			if (p == (char *)-1)
				exit(0);
			for (int i = 0; i < (1 << 20); i += 4096)
				p[i] = 1;
		}
	}
	xwait(pid);
	pid = xfork();
	if (pid == 0) {
		char *p = sbrk(8 << 20);

		if (p == (char *)-1)
			exit(1);
		for (int i = 0; i < (8 << 20); i += 4096)
			p[i] = 1;
		exit(0);
	}
	CHECK(xwait(pid) == 0, "memory was not given back");
}

/* Parent and child each see only their own writes after fork. */
static char cow_data[64 * 4096];

static void cow_fill(int seed)
{
	for (int i = 0; i < (int)sizeof(cow_data); i += 64)
		cow_data[i] = (char)(seed + i / 4096);
}

static int cow_holds(int seed)
{
	for (int i = 0; i < (int)sizeof(cow_data); i += 64)
		if (cow_data[i] != (char)(seed + i / 4096))
			return 0;
	return 1;
}

static void test_cow(void)
{
	int p[2], pid, local = 1, status;
	char c;

	cow_fill(1);
	CHECK(pipe(p) == 0, "pipe failed");
	pid = xfork();
	if (pid == 0) {
		/* The parent writes first; the child must not see it. */
		read(p[0], &c, 1);
		if (!cow_holds(1) || local != 1)
			exit(1);
		cow_fill(3);
		local = 3;
		exit(cow_holds(3) && local == 3 ? 0 : 2);
	}
	cow_fill(2);
	local = 2;
	write(p[1], "g", 1);
	CHECK(xwait(pid) == 0, "the child saw the parent's writes, or lost its own");
	CHECK(cow_holds(2) && local == 2, "the parent saw the child's writes");
	/* Three generations, each writing every page. */
	pid = xfork();
	if (pid == 0) {
		int grandchild = fork();

		cow_fill(grandchild == 0 ? 5 : 4);
		if (grandchild == 0)
			exit(cow_holds(5) ? 0 : 1);
		if (grandchild < 0 || wait(&status) != grandchild || status != 0)
			exit(1);
		exit(cow_holds(4) ? 0 : 1);
	}
	CHECK(xwait(pid) == 0, "a child or grandchild lost its writes");
	CHECK(cow_holds(2), "the parent lost its writes");
}

/* A server writing into a page shared after fork (read() into it) must
 * copy it, like a store by the program would. */
static void test_cowread(void)
{
	int p[2], pid;

	cow_fill(7);
	CHECK(pipe(p) == 0, "pipe failed");
	pid = xfork();
	if (pid == 0) {
		int got = 0, n;

		close(p[1]);
		while (got < 4096 && (n = read(p[0], cow_data + 4096 + got, 4096 - got)) > 0)
			got += n;
		exit(got == 4096 && cow_data[4096] == 'z' && cow_data[8191] == 'z' ? 0 : 2);
	}
	close(p[0]);
	memset(buf, 'z', 4096);
	CHECK(write(p[1], buf, 4096) == 4096, "write failed");
	CHECK(xwait(pid) == 0, "the child's read did not land");
	CHECK(cow_holds(7), "the child's read() changed the parent's memory");
}

/* Many forks of a process with much memory, each writing one page. */
static void test_cowmany(void)
{
	int n = quick ? 20 : 100;

	cow_fill(9);
	for (int i = 0; i < n; i++) {
		int pid = xfork();

		if (pid == 0) {
			cow_data[(i % 64) * 4096] = 'w';
			exit(cow_data[(i % 64) * 4096] == 'w' ? 0 : 1);
		}
		CHECK(xwait(pid) == 0, "child %d failed", i);
	}
	CHECK(cow_holds(9), "a child's write reached the parent");
}

/* --- drivers ------------------------------------------------------------------------ */

/* The disk driver dies in the middle of a file workload, once in each
 * way proc knows (a null and a wild pointer, an illegal instruction, an
 * endless loop, an exit); its supervisor restarts it each time and not a
 * byte is lost. The fault comes just before the file server's next disk
 * request: during a write here, and during a read or the unlink (the file
 * may still be in the cache) at the end. Booted without `inject=1`, the
 * file server refuses and the test fails. */
static void test_driverrestart(void)
{
	int fd = xopen("utdrv", O_CREATE | O_RDWR | O_TRUNC);

	for (int b = 0; b < 40; b++) {
		if (b % 10 == 5)
			CHECK(driver_crash("blk") == 0, "cannot make the disk driver fault");
		memset(buf, 'a' + b % 26, BSIZE);
		CHECK(write(fd, buf, BSIZE) == BSIZE, "write of block %d failed", b);
	}
	close(fd);
	fd = xopen("utdrv", O_RDONLY);
	for (int b = 0; b < 40; b++) {
		if (b == 10)
			CHECK(driver_crash("blk") == 0, "cannot make the disk driver fault");
		CHECK(read(fd, buf, BSIZE) == BSIZE, "read of block %d failed", b);
		for (int i = 0; i < BSIZE; i++)
			CHECK(buf[i] == 'a' + b % 26, "block %d byte %d is wrong", b, i);
	}
	close(fd);
	CHECK(unlink("utdrv") == 0, "unlink failed");
	CHECK(driver_crash("uart") == -1 && driver_crash("nosuchdriver") == -1,
	      "driver_crash of a driver proc does not reach");
}

/* --- the runner --------------------------------------------------------------------- */

struct test {
	const char *name;
	void (*fn)(void);
};

static const struct test tests[] = {
	{ "exitwait", test_exitwait },
	{ "forkpid", test_forkpid },
	{ "reparent", test_reparent },
	{ "forkfull", test_forkfull },
	{ "forkbomb", test_forkbomb },
	{ "exec", test_exec },
	{ "execbad", test_execbad },
	{ "execargs", test_execargs },
	{ "pipe", test_pipe },
	{ "pipeends", test_pipeends },
	{ "pipebig", test_pipebig },
	{ "kill", test_kill },
	{ "files", test_files },
	{ "unlinkopen", test_unlinkopen },
	{ "manyfiles", test_manyfiles },
	{ "bigfile", test_bigfile },
	{ "oddsizes", test_oddsizes },
	{ "dirs", test_dirs },
	{ "deepdirs", test_deepdirs },
	{ "paths", test_paths },
	{ "links", test_links },
	{ "symlinks", test_symlinks },
	{ "createrace", test_createrace },
	{ "linkrace", test_linkrace },
	{ "sharedfd", test_sharedfd },
	{ "dup", test_dup },
	{ "fdfull", test_fdfull },
	{ "fdfullpipe", test_fdfullpipe },
	{ "console", test_console },
	{ "time", test_time },
	{ "badptr", test_badptr },
	{ "sbrk", test_sbrk },
	{ "sbrkfull", test_sbrkfull },
	{ "cow", test_cow },
	{ "cowread", test_cowread },
	{ "cowmany", test_cowmany },
	{ "driverrestart", test_driverrestart },
};
#define NTESTS (int)(sizeof(tests) / sizeof(tests[0]))

/* Run t in a child; returns 1 if it passed. */
static int run_test(const struct test *t)
{
	int status = -12345;
	int pid, got;

	printf("test %s: ", t->name);
	pid = fork();
	if (pid < 0) {
		printf("FAILED: cannot fork\n");
		return 0;
	}
	if (pid == 0) {
		t->fn();
		exit(0);
	}
	/* If usertests is the first process, orphans are its children too. */
	while ((got = wait(&status)) != pid) {
		if (got < 0) {
			printf("FAILED: wait lost the test\n");
			return 0;
		}
	}
	if (status == 0) {
		printf("OK\n");
		return 1;
	}
	if (status != TEST_FAILED)   /* else it printed why */
		printf("FAILED: the test ended with status %d\n", status);
	return 0;
}

/* s starts with one of the comma-separated prefixes in list. */
static int starts_with_one(const char *s, const char *list)
{
	for (;;) {
		const char *p = s;

		while (*list != '\0' && *list != ',' && *p == *list) {
			p++;
			list++;
		}
		if (*list == '\0' || *list == ',')
			return 1;
		while (*list != '\0' && *list != ',')
			list++;
		if (*list++ == '\0')
			return 0;
	}
}

/* The test is chosen: no names were given, or its name starts with one. */
static int chosen(const char *name, char **names, int nnames)
{
	for (int i = 0; i < nnames; i++)
		if (starts_with_one(name, names[i]))
			return 1;
	return nnames == 0;
}

int main(int argc, char *argv[])
{
	char *names[MAXARG];
	int nnames = 0, passed = 0, failed = 0, slots;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-q") == 0)
			quick = 1;
		else
			names[nnames++] = argv[i];
	}
	printf("usertests starting%s\n", quick ? " (quick)" : "");
	slots = free_proc_slots();
	for (int i = 0; i < NTESTS; i++) {
		if (!chosen(tests[i].name, names, nnames))
			continue;
		if (run_test(&tests[i]))
			passed++;
		else
			failed++;
	}
	sleep(5);   /* init reaps the last orphans */
	if (free_proc_slots() != slots) {
		printf("FAILED: processes leaked: %d free slots, %d before\n", free_proc_slots(), slots);
		failed++;
	}
	if (failed > 0) {
		printf("SOME TESTS FAILED (%d of %d)\n", failed, passed + failed);
		exit(1);
	}
	printf("ALL TESTS PASSED (%d tests)\n", passed);
	exit(0);
}
