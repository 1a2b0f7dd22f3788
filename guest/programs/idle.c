#include "ulib.h"
#include "programs.h"
int prog_idle(void) { for (;;) { char l[64]; long n = sys_readline(l, 63); if (n > 0) { l[n] = 0; common_command(l); } wait_until(~0ull, WAIT_CONSOLE); } }
