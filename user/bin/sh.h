/*
 * sh.h - what the shell's parser makes of a line: jobs of commands.
 *
 * sh_parse() is a pure function, shared by the shell (sh.c) and its host
 * unit tests (test/unit/sh_parse_test.c); it only cuts the line into words
 * and fills a struct sh_line, and never calls the system.
 */
#ifndef SH_H
#define SH_H

#include "kernel/param.h"

#define SH_LINE_MAX 512   /* bytes in a line, newline included */
#define SH_CMDS_MAX 16    /* commands in one line */
#define SH_JOBS_MAX 16    /* jobs in one line */

/* One command of a pipeline. The strings point into the parsed line. */
struct sh_command {
	char *argv[MAXARG + 1];   /* argc words, then 0, as exec() wants it */
	int argc;
	char *in;                 /* the file after '<', or 0 */
	char *out;                /* the file after '>', or 0 */
};

/* A pipeline: commands first .. first + count - 1 of the line. */
struct sh_job {
	int first;
	int count;
	int background;   /* ended by '&' */
};

struct sh_line {
	struct sh_command cmds[SH_CMDS_MAX];
	int ncmds;
	struct sh_job jobs[SH_JOBS_MAX];
	int njobs;
};

/*
 * Parse text, one line without its newline, into *line. text is changed:
 * the words end up nul-terminated inside it, and *line points at them, so
 * text must live as long as *line is used. Returns 0 (an empty line gives
 * no jobs), or -1 with *error set to a message for the user.
 */
int sh_parse(char *text, struct sh_line *line, const char **error);

#endif /* SH_H */
