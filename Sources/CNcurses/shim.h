#ifndef CNCURSES_SHIM_H
#define CNCURSES_SHIM_H
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>

/* Macros and globals Swift cannot import as such. */
static inline int cn_color_pair(int n) { return COLOR_PAIR(n); }
static inline unsigned int cn_a_bold(void) { return A_BOLD; }
static inline unsigned int cn_a_reverse(void) { return A_REVERSE; }
static inline unsigned int cn_a_underline(void) { return A_UNDERLINE; }
static inline unsigned int cn_a_dim(void) { return A_DIM; }
static inline unsigned int cn_a_normal(void) { return A_NORMAL; }
static inline int cn_lines(void) { return LINES; }
static inline int cn_cols(void) { return COLS; }
static inline WINDOW *cn_stdscr(void) { return stdscr; }
static inline int cn_key_resize(void) { return KEY_RESIZE; }
static inline int cn_key_code_yes(void) { return KEY_CODE_YES; }
static inline int cn_attrset(unsigned int a) { return attrset(a); }
static inline void cn_getmaxyx(WINDOW *w, int *y, int *x) { int yy, xx; getmaxyx(w, yy, xx); *y = yy; *x = xx; }

/* Keys: function-key codes are macros in curses.h. */
static inline int cn_key_up(void) { return KEY_UP; }
static inline int cn_key_down(void) { return KEY_DOWN; }
static inline int cn_key_left(void) { return KEY_LEFT; }
static inline int cn_key_right(void) { return KEY_RIGHT; }
static inline int cn_key_npage(void) { return KEY_NPAGE; }
static inline int cn_key_ppage(void) { return KEY_PPAGE; }
static inline int cn_key_home(void) { return KEY_HOME; }
static inline int cn_key_end(void) { return KEY_END; }
static inline int cn_key_backspace(void) { return KEY_BACKSPACE; }
static inline int cn_key_enter(void) { return KEY_ENTER; }
static inline int cn_key_dc(void) { return KEY_DC; }
static inline int cn_err(void) { return ERR; }
static inline int cn_ok(void) { return OK; }

/* Wide-character input and output (the *_wch / *wstr functions may be macros). */
static inline int cn_get_wch(unsigned int *out) { wint_t c = 0; int r = wget_wch(stdscr, &c); *out = (unsigned int)c; return r; }
static inline int cn_mvaddnwstr(int y, int x, const wchar_t *s, int n) { return mvaddnwstr(y, x, s, n); }
static inline int cn_move(int y, int x) { return move(y, x); }
static inline int cn_clrtobot(void) { return clrtobot(); }
static inline int cn_keypad_on(void) { return keypad(stdscr, TRUE); }
static inline int cn_nodelay_on(void) { return nodelay(stdscr, TRUE); }
static inline int cn_leaveok_on(void) { return leaveok(stdscr, TRUE); }
static inline int cn_refresh(void) { return refresh(); }
static inline int cn_is_endwin(void) { return isendwin(); }
static inline int cn_color_count(void) { return COLORS; }

/* newterm on the process's stdout/stdin: NULL for an unknown TERM, where initscr would exit(1). */
static inline SCREEN *cn_newterm(void) { return newterm(NULL, stdout, stdin); }
/* Whether the current terminal can address the cursor (TERM=dumb cannot). */
static inline int cn_can_move_cursor(void) { char *cup = tigetstr("cup"); return cup != NULL && cup != (char *)-1; }
/* Whether the terminal has an alternate screen (smcup) that endwin leaves, restoring what was there. */
static inline int cn_has_alternate_screen(void) { char *s = tigetstr("smcup"); return s != NULL && s != (char *)-1 && *s != 0; }

/* Colours: the curses constants, so Swift code reads like the C it mirrors. */
static inline short cn_color_black(void) { return COLOR_BLACK; }
static inline short cn_color_red(void) { return COLOR_RED; }
static inline short cn_color_green(void) { return COLOR_GREEN; }
static inline short cn_color_yellow(void) { return COLOR_YELLOW; }
static inline short cn_color_blue(void) { return COLOR_BLUE; }
static inline short cn_color_cyan(void) { return COLOR_CYAN; }
static inline short cn_color_white(void) { return COLOR_WHITE; }
#endif
