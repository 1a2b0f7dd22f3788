/*
 * 16550A UART on COM1 (0x3F8): polled output, interrupt- or tick-driven input
 * assembled into complete lines for SYS_READLINE. Lines end with LF only.
 */
#include "kernel.h"
#include "x86.h"

#define COM1 0x3F8
#define RBR 0
#define THR 0
#define IER 1
#define FCR 2
#define LCR 3
#define MCR 4
#define LSR 5
#define LSR_DR   0x01
#define LSR_THRE 0x20

#define LINE_MAX 256
#define NLINES   8

static char cur[LINE_MAX];
static uint32_t cur_len;
static char lines[NLINES][LINE_MAX];
static uint16_t line_len[NLINES];
static uint32_t lhead, ltail;            /* ring of complete lines */

void uart_init(void)
{
	outb(COM1 + IER, 0x00);
	outb(COM1 + LCR, 0x80);              /* DLAB */
	outb(COM1 + 0, 0x01);                /* 115200 baud */
	outb(COM1 + 1, 0x00);
	outb(COM1 + LCR, 0x03);              /* 8N1 */
	outb(COM1 + FCR, 0xC7);              /* FIFOs on, cleared, 14-byte threshold */
	outb(COM1 + MCR, 0x0B);              /* DTR, RTS, OUT2 (gates the IRQ on PCs) */
	outb(COM1 + IER, 0x01);              /* interrupt on received data */
}

/* bytes we may still write without polling: THRE with the FIFO enabled
 * means the 16-byte transmit FIFO is empty. Every port access is a VM exit,
 * so this halves the cost of console output. */
static uint32_t tx_room;

static void putc_raw(char c)
{
	if (tx_room == 0) {
		/* bounded wait: a missing UART must not hang the kernel */
		for (int i = 0; i < 100000 && !(inb(COM1 + LSR) & LSR_THRE); i++)
			;
		tx_room = 16;
	}
	outb(COM1 + THR, (uint8_t)c);
	tx_room--;
}

void uart_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		putc_raw(s[i]);
	tx_room = 0;          /* time passes before the next write: poll again */
}

void uart_putc(char c) { uart_write(&c, 1); }

void early_puts(const char *s)
{
	while (*s) {
		for (int i = 0; i < 100000 && !(inb(COM1 + LSR) & LSR_THRE); i++)
			;
		outb(COM1 + THR, (uint8_t)*s++);
	}
}

static void rx_byte(char c)
{
	if (c == '\r' || c == '\n') {
		if (cur_len == 0)
			return;              /* empty lines (and the LF of CRLF) are ignored */
		if (lhead - ltail < NLINES) {
			char *dst = lines[lhead % NLINES];
			for (uint32_t i = 0; i < cur_len; i++)
				dst[i] = cur[i];
			line_len[lhead % NLINES] = (uint16_t)cur_len;
			lhead++;
		}
		cur_len = 0;
	} else if (c == 0x08 || c == 0x7f) {
		if (cur_len)
			cur_len--;
	} else if (cur_len < LINE_MAX) {
		cur[cur_len++] = c;
	}
}

void uart_poll_rx(void)
{
	for (int i = 0; i < 64 && (inb(COM1 + LSR) & LSR_DR); i++)
		rx_byte((char)inb(COM1 + RBR));
}

int uart_line_ready(void) { return lhead != ltail; }

size_t uart_read_line(char *buf, size_t cap)
{
	if (lhead == ltail || cap == 0)
		return 0;
	const char *src = lines[ltail % NLINES];
	size_t n = line_len[ltail % NLINES];
	if (n > cap)
		n = cap;
	for (size_t i = 0; i < n; i++)
		buf[i] = src[i];
	ltail++;
	return n;
}
