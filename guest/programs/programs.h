#ifndef JTS_PROGRAMS_H
#define JTS_PROGRAMS_H
int prog_idle(void);
int prog_pattern(void);
int prog_net(void);
int prog_shell(void);
#endif
