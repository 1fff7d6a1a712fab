/*
 * sh - the shell: read a line, parse it, run it, again.
 *
 * A line is a list of jobs separated by ';' (run one after the other) or
 * ended by '&' (run in the background); a job is a pipeline of commands
 * joined by '|'; a command is words, with '<' file and '>' file anywhere
 * among them. Quotes ('...' or "...") keep spaces and special chars in a
 * word; '#' at the start of a word begins a comment. `cd` is built in.
 * Parsing is sh_parse(), a pure function over the line (the host unit tests
 * call it); running is the rest. `sh file` reads commands from file, with
 * no prompt.
 */
#include "kernel/types.h"
#include "kernel/fcntl.h"
#include "kernel/param.h"
#include "user/user.h"

#include "sh.h"

/* --- parsing ---------------------------------------------------------------- */

enum sh_token { TOKEN_END, TOKEN_WORD, TOKEN_PIPE, TOKEN_IN, TOKEN_OUT, TOKEN_SEMI, TOKEN_AMP,
		TOKEN_ERROR };

/* Words are cut out of the line in place: a word's quotes are squeezed
 * out and a nul ends it. When the char that ends a word is a special char,
 * the nul goes over it, so the lexer keeps it in pending for next time. */
struct sh_lexer {
	char *pos;
	char pending;        /* a special char already read, or 0 */
	const char *error;   /* why TOKEN_ERROR was returned */
};

static int sh_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v';
}

static enum sh_token sh_special(char c)
{
	switch (c) {
	case '|': return TOKEN_PIPE;
	case '<': return TOKEN_IN;
	case '>': return TOKEN_OUT;
	case ';': return TOKEN_SEMI;
	case '&': return TOKEN_AMP;
	default: return TOKEN_WORD;
	}
}

/* The next token; for TOKEN_WORD, *word is the word (nul-terminated). */
static enum sh_token sh_next(struct sh_lexer *lx, char **word)
{
	char *src, *dst;

	if (lx->pending != 0) {
		enum sh_token t = sh_special(lx->pending);

		lx->pending = 0;
		return t;
	}
	while (sh_is_space(*lx->pos))
		lx->pos++;
	if (*lx->pos == '\0' || *lx->pos == '#')
		return TOKEN_END;
	if (sh_special(*lx->pos) != TOKEN_WORD)
		return sh_special(*lx->pos++);
	*word = dst = src = lx->pos;
	while (*src != '\0' && !sh_is_space(*src) && sh_special(*src) == TOKEN_WORD) {
		if (*src == '"' || *src == '\'') {
			char quote = *src++;

			while (*src != quote) {
				if (*src == '\0') {
					lx->error = "a quote is not closed";
					return TOKEN_ERROR;
				}
				*dst++ = *src++;
			}
			src++;
		} else {
			*dst++ = *src++;
		}
	}
	if (*src != '\0') {
		if (!sh_is_space(*src))
			lx->pending = *src;
		src++;
	}
	*dst = '\0';
	lx->pos = src;
	return TOKEN_WORD;
}

/* Start a new command in line, and a new job if none is open. Returns the
 * command, or 0 with *error set when the line has too many. */
static struct sh_command *sh_add_command(struct sh_line *line, struct sh_job **job,
					 const char **error)
{
	struct sh_command *cmd;

	if (line->ncmds == SH_CMDS_MAX) {
		*error = "too many commands in one line";
		return 0;
	}
	if (*job == 0) {
		if (line->njobs == SH_JOBS_MAX) {
			*error = "too many jobs in one line";
			return 0;
		}
		*job = &line->jobs[line->njobs++];
		(*job)->first = line->ncmds;
		(*job)->count = 0;
		(*job)->background = 0;
	}
	cmd = &line->cmds[line->ncmds++];
	(*job)->count++;
	cmd->argc = 0;
	cmd->argv[0] = 0;
	cmd->in = cmd->out = 0;
	return cmd;
}

/* The contract is in sh.h. */
int sh_parse(char *text, struct sh_line *line, const char **error)
{
	struct sh_lexer lx = { .pos = text, .pending = 0, .error = 0 };
	struct sh_command *cmd = 0;   /* the command being read */
	struct sh_job *job = 0;       /* the job being read */
	char *word;

	line->ncmds = line->njobs = 0;
	for (;;) {
		enum sh_token t = sh_next(&lx, &word);

		if (t == TOKEN_ERROR) {
			*error = lx.error;
			return -1;
		}
		if (t == TOKEN_WORD || t == TOKEN_IN || t == TOKEN_OUT) {
			if (cmd == 0 && (cmd = sh_add_command(line, &job, error)) == 0)
				return -1;
		} else if (cmd != 0 && cmd->argc == 0) {
			*error = "a redirection needs a command";
			return -1;
		} else if (cmd == 0 && (job != 0 || t != TOKEN_END)) {
			*error = job != 0 ? "a command must follow |" : "a command must come first";
			return -1;
		}
		switch (t) {
		case TOKEN_WORD:
			if (cmd->argc == MAXARG) {
				*error = "too many arguments";
				return -1;
			}
			cmd->argv[cmd->argc++] = word;
			cmd->argv[cmd->argc] = 0;
			break;
		case TOKEN_IN:
		case TOKEN_OUT:
			if (sh_next(&lx, &word) != TOKEN_WORD) {
				*error = "a file name must follow < and >";
				return -1;
			}
			*(t == TOKEN_IN ? &cmd->in : &cmd->out) = word;
			break;
		case TOKEN_PIPE:
			cmd = 0;
			break;
		case TOKEN_SEMI:
		case TOKEN_AMP:
			job->background = (t == TOKEN_AMP);
			job = 0;
			cmd = 0;
			break;
		default:   /* TOKEN_END */
			return 0;
		}
	}
}

/* --- running ---------------------------------------------------------------- */

/* Exec argv[0], looking in the current directory and then in / for a name
 * without a '/'. Returns only if neither exists (or could not be run). */
static void sh_exec(char **argv)
{
	char path[MAXPATH];

	exec(argv[0], argv);
	if (strchr(argv[0], '/') == 0 && strlen(argv[0]) + 2 <= sizeof(path)) {
		path[0] = '/';
		strcpy(path + 1, argv[0]);
		exec(path, argv);
	}
}

/* In a child: apply cmd's redirections and run it. Never returns. */
static void sh_run_command(struct sh_command *cmd)
{
	/* open() takes the lowest free fd: the one just closed. */
	if (cmd->in != 0) {
		close(0);
		if (open(cmd->in, O_RDONLY) != 0) {
			fprintf(2, "sh: cannot open %s\n", cmd->in);
			exit(1);
		}
	}
	if (cmd->out != 0) {
		close(1);
		if (open(cmd->out, O_WRONLY | O_CREATE | O_TRUNC) != 1) {
			fprintf(2, "sh: cannot create %s\n", cmd->out);
			exit(1);
		}
	}
	sh_exec(cmd->argv);
	fprintf(2, "sh: %s: command not found\n", cmd->argv[0]);
	exit(1);
}

/* Move fd to become fd target (0 or 1), in a child about to exec. */
static void sh_move_fd(int fd, int target)
{
	close(target);
	dup(fd);
	close(fd);
}

/* Start the commands of job, each one's output piped into the next one's
 * input. Their pids go to pids[]; returns how many started (fewer than
 * job->count after a message, when pipe() or fork() failed). */
static int sh_start_pipeline(struct sh_line *line, struct sh_job *job, int *pids)
{
	int in = -1;   /* read end of the pipe from the command before */
	int n;

	for (n = 0; n < job->count; n++) {
		int p[2] = { -1, -1 };
		int pid;

		if (n + 1 < job->count && pipe(p) < 0) {
			fprintf(2, "sh: cannot make a pipe\n");
			break;
		}
		pid = fork();
		if (pid == 0) {
			if (in >= 0)
				sh_move_fd(in, 0);
			if (p[1] >= 0) {
				close(p[0]);
				sh_move_fd(p[1], 1);
			}
			sh_run_command(&line->cmds[job->first + n]);
		}
		if (in >= 0)
			close(in);
		if (p[1] >= 0)
			close(p[1]);
		in = p[0];
		if (pid < 0) {
			fprintf(2, "sh: cannot fork\n");
			break;
		}
		pids[n] = pid;
	}
	if (in >= 0)
		close(in);
	return n;
}

/* Wait until the n processes in pids[] have exited. */
static void sh_wait_all(const int *pids, int n)
{
	int left = n;

	while (left > 0) {
		int pid = wait(0);

		if (pid < 0)
			return;
		for (int i = 0; i < n; i++)
			if (pids[i] == pid)
				left--;
	}
}

static void sh_cd(struct sh_command *cmd)
{
	const char *dir = cmd->argc > 1 ? cmd->argv[1] : "/";

	if (cmd->argc > 2)
		fprintf(2, "sh: cd: too many arguments\n");
	else if (chdir(dir) < 0)
		fprintf(2, "sh: cd: cannot go to %s\n", dir);
}

/* Run one job. A background job is started by a child of the shell that
 * exits at once, so the job's processes become init's, which reaps them:
 * the shell waits only for what it runs in the foreground. */
static void sh_run_job(struct sh_line *line, struct sh_job *job)
{
	int pids[SH_CMDS_MAX];
	struct sh_command *first = &line->cmds[job->first];

	if (job->count == 1 && !job->background && strcmp(first->argv[0], "cd") == 0) {
		sh_cd(first);
		return;
	}
	if (job->background) {
		int pid = fork();

		if (pid == 0) {
			sh_start_pipeline(line, job, pids);
			exit(0);
		}
		if (pid < 0)
			fprintf(2, "sh: cannot fork\n");
		else
			sh_wait_all(&pid, 1);
		return;
	}
	sh_wait_all(pids, sh_start_pipeline(line, job, pids));
}

/* Read a line into buf (SH_LINE_MAX bytes) without its newline. Returns 0,
 * 1 for a line too long (the rest of it is read and dropped), or -1 at end
 * of input. */
static int sh_read_line(char *buf)
{
	int len;

	gets(buf, SH_LINE_MAX);
	len = strlen(buf);
	if (len == 0)
		return -1;
	if (buf[len - 1] == '\n' || buf[len - 1] == '\r') {
		buf[len - 1] = '\0';
		return 0;
	}
	if (len < SH_LINE_MAX - 1)
		return 0;   /* the last line, without a newline */
	do {
		gets(buf, SH_LINE_MAX);
		len = strlen(buf);
	} while (len > 0 && buf[len - 1] != '\n' && buf[len - 1] != '\r');
	return 1;
}

int main(int argc, char *argv[])
{
	static char buf[SH_LINE_MAX];
	static struct sh_line line;
	int interactive = (argc < 2);

	if (!interactive) {
		close(0);
		if (open(argv[1], O_RDONLY) != 0) {
			fprintf(2, "sh: cannot open %s\n", argv[1]);
			exit(1);
		}
	}
	for (;;) {
		const char *error;
		int r;

		if (interactive)
			fprintf(2, "$ ");
		r = sh_read_line(buf);
		if (r < 0)
			exit(0);
		if (r > 0) {
			fprintf(2, "sh: line too long (at most %d chars)\n", SH_LINE_MAX - 2);
			continue;
		}
		if (sh_parse(buf, &line, &error) < 0) {
			fprintf(2, "sh: %s\n", error);
			continue;
		}
		for (int i = 0; i < line.njobs; i++)
			sh_run_job(&line, &line.jobs[i]);
	}
}
