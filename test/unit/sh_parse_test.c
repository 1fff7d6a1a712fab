/*
 * sh_parse_test.c - host tests for the shell's parser, sh_parse() in
 * user/bin/sh.c: words and quotes, pipelines, redirections, ';' and '&'
 * lists, comments, and a clear error for every malformed line.
 */
#include <string.h>
#include <criterion/criterion.h>

#include "xv6_fake.h"
#include "sh.h"

static struct sh_line line;
static char text[1024];

static int parse(const char *s, const char **error)
{
	strcpy(text, s);
	return sh_parse(text, &line, error);
}

static void parse_ok(const char *s)
{
	const char *error = NULL;

	cr_assert_eq(parse(s, &error), 0, "\"%s\": %s", s, error);
}

static void parse_fails(const char *s, const char *want)
{
	const char *error = NULL;

	cr_assert_eq(parse(s, &error), -1, "\"%s\" parsed", s);
	cr_assert_str_eq(error, want, "\"%s\"", s);
}

static void assert_argv(int cmd, const char *const *want)
{
	struct sh_command *c = &line.cmds[cmd];
	int n = 0;

	while (want[n] != NULL) {
		cr_assert_lt(n, c->argc, "command %d has %d words, want more", cmd, c->argc);
		cr_assert_str_eq(c->argv[n], want[n], "command %d word %d", cmd, n);
		n++;
	}
	cr_assert_eq(c->argc, n, "command %d has %d words, want %d", cmd, c->argc, n);
	cr_assert_null(c->argv[n]);
}

#define ARGV(...) ((const char *const[]){ __VA_ARGS__, NULL })

Test(sh_parse, empty_and_blank_lines_have_no_jobs)
{
	parse_ok("");
	cr_assert_eq(line.njobs, 0);
	parse_ok("   \t ");
	cr_assert_eq(line.njobs, 0);
	parse_ok("# just a comment | > ;");
	cr_assert_eq(line.njobs, 0);
}

Test(sh_parse, words_split_on_spaces)
{
	parse_ok("  echo   hello\tworld  ");
	cr_assert_eq(line.njobs, 1);
	cr_assert_eq(line.jobs[0].count, 1);
	cr_assert_eq(line.jobs[0].background, 0);
	assert_argv(0, ARGV("echo", "hello", "world"));
	cr_assert_null(line.cmds[0].in);
	cr_assert_null(line.cmds[0].out);
}

Test(sh_parse, quotes_keep_spaces_and_special_chars)
{
	parse_ok("echo \"a b\" 'c|d;e' x\"y z\"w '' \"it's\"");
	assert_argv(0, ARGV("echo", "a b", "c|d;e", "xy zw", "", "it's"));
}

Test(sh_parse, a_pipeline_needs_no_spaces)
{
	parse_ok("echo hello|wc");
	cr_assert_eq(line.njobs, 1);
	cr_assert_eq(line.jobs[0].count, 2);
	assert_argv(0, ARGV("echo", "hello"));
	assert_argv(1, ARGV("wc"));
	parse_ok("cat f | grep x | wc -l");
	cr_assert_eq(line.jobs[0].count, 3);
	assert_argv(2, ARGV("wc", "-l"));
}

Test(sh_parse, redirections_stand_anywhere_in_a_command)
{
	parse_ok("<in cat>out");
	assert_argv(0, ARGV("cat"));
	cr_assert_str_eq(line.cmds[0].in, "in");
	cr_assert_str_eq(line.cmds[0].out, "out");
	parse_ok("echo a > f b");
	assert_argv(0, ARGV("echo", "a", "b"));
	cr_assert_str_eq(line.cmds[0].out, "f");
	parse_ok("sort < x | uniq > y");
	cr_assert_str_eq(line.cmds[0].in, "x");
	cr_assert_null(line.cmds[0].out);
	cr_assert_null(line.cmds[1].in);
	cr_assert_str_eq(line.cmds[1].out, "y");
}

Test(sh_parse, lists_and_background_jobs)
{
	parse_ok("a; b & c|d &e");
	cr_assert_eq(line.njobs, 4);
	cr_assert_eq(line.jobs[0].background, 0);
	cr_assert_eq(line.jobs[1].background, 1);
	cr_assert_eq(line.jobs[2].background, 1);
	cr_assert_eq(line.jobs[2].first, 2);
	cr_assert_eq(line.jobs[2].count, 2);
	cr_assert_eq(line.jobs[3].background, 0);
	assert_argv(4, ARGV("e"));
	parse_ok("sleep 10 &");
	cr_assert_eq(line.njobs, 1);
	cr_assert_eq(line.jobs[0].background, 1);
	parse_ok("ls;");
	cr_assert_eq(line.njobs, 1);
}

Test(sh_parse, comments_start_only_at_a_word)
{
	parse_ok("echo a#b # c d");
	assert_argv(0, ARGV("echo", "a#b"));
}

Test(sh_parse, malformed_lines_get_a_message)
{
	parse_fails("echo \"open", "a quote is not closed");
	parse_fails("echo 'open", "a quote is not closed");
	parse_fails("| wc", "a command must come first");
	parse_fails("; ls", "a command must come first");
	parse_fails("ls ; ; ls", "a command must come first");
	parse_fails("&", "a command must come first");
	parse_fails("ls |", "a command must follow |");
	parse_fails("ls | ; wc", "a command must follow |");
	parse_fails("ls | | wc", "a command must follow |");
	parse_fails("ls >", "a file name must follow < and >");
	parse_fails("cat < | wc", "a file name must follow < and >");
	parse_fails("cat > ;", "a file name must follow < and >");
	parse_fails("> f", "a redirection needs a command");
	parse_fails("< f | wc", "a redirection needs a command");
}

Test(sh_parse, limits_are_errors_not_overflows)
{
	char many[1024] = "echo";

	for (int i = 0; i < 31; i++)
		strcat(many, " x");
	parse_ok(many);
	cr_assert_eq(line.cmds[0].argc, 32);
	strcat(many, " y");
	parse_fails(many, "too many arguments");

	strcpy(many, "a");
	for (int i = 0; i < 15; i++)
		strcat(many, "|a");
	parse_ok(many);
	strcat(many, "|a");
	parse_fails(many, "too many commands in one line");
}
