#ifndef SWITCHBOARD_CNCURSESW_SHIM_H
#define SWITCHBOARD_CNCURSESW_SHIM_H
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <langinfo.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <ncursesw/curses.h>

/* Macros and globals that Swift cannot import, as small functions. */

static inline WINDOW *sb_stdscr(void) { return stdscr; }
/* A curses screen on the process's standard output and input. */
static inline SCREEN *sb_newterm(void) { return newterm(NULL, stdout, stdin); }
/* Whether the terminal can show at least 8 colours. */
static inline int sb_color_count(void) { return COLORS; }
static inline int sb_lines(void) { return getmaxy(stdscr); }
static inline int sb_cols(void) { return getmaxx(stdscr); }
static inline attr_t sb_attr_normal(void) { return A_NORMAL; }
static inline attr_t sb_attr_bold(void) { return A_BOLD; }
static inline attr_t sb_attr_dim(void) { return A_DIM; }
static inline attr_t sb_attr_reverse(void) { return A_REVERSE; }
static inline attr_t sb_attr_underline(void) { return A_UNDERLINE; }
static inline attr_t sb_color_pair(short pair) { return (attr_t)COLOR_PAIR(pair); }
static inline int sb_attrset(attr_t attributes) { return attrset((int)attributes); }

/* The locale's character set, e.g. "UTF-8" or "ANSI_X3.4-1968". */
static inline const char *sb_codeset(void) { return nl_langinfo(CODESET); }

/*
 * Crash guard: on a fatal signal, give the terminal back (endwin) and then die of the
 * same signal with its default action, so a core dump or the shell's message still happens.
 * SA_RESETHAND restores the default action on entry; SA_NODEFER lets the re-raise land.
 */
static void sb_fatal_signal_handler(int signal_number) {
    endwin();
    static const char reset[] = "\033[0m\033[?25h\r\n";
    ssize_t ignored = write(STDOUT_FILENO, reset, sizeof reset - 1);
    (void)ignored;
    raise(signal_number);
}

/* Installs the crash guard for one signal, saving the previous action into *previous. */
static inline int sb_install_fatal_handler(int signal_number, struct sigaction *previous) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = sb_fatal_signal_handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND | SA_NODEFER;
    return sigaction(signal_number, &action, previous);
}

/* Whether nobody handles or ignores the signal (its action is the default). */
static inline int sb_signal_is_default(int signal_number) {
    struct sigaction current;
    if (sigaction(signal_number, NULL, &current) != 0) return 0;
    return current.sa_handler == SIG_DFL;
}

/* Puts back an action saved by sb_install_fatal_handler. */
static inline int sb_restore_signal(int signal_number, const struct sigaction *previous) {
    return sigaction(signal_number, previous, NULL);
}

#endif
