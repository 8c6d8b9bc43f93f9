/*
 * The monitor's relay loop (podbay-shim run): the container's output to the CRI log and to
 * attached sessions, and session bytes to the container's stdin / terminal, served on a unix
 * socket. stdio-setup.c creates the pipes, the terminal and the socket.
 *
 * Why a socket served by the monitor: the monitor outlives the engine, so it alone can keep a
 * `stdin: true` container's stdin (or its pty master) open across engine restarts, as
 * containerd-shim keeps a task's FIFOs. The engine never holds the container's fds; every attach
 * session (kubectl attach, kubectl run -i) is one connection to `attach-socket` (the container's
 * runtime dir, mode 0600, root only, hidden from containers with the rest of the data dir).
 *
 * Wire protocol, both directions: frames of [type u8][length u32 big-endian][payload].
 *   client -> shim   16 HELLO (first frame; payload one byte: 1 stdin | 2 stdout | 4 stderr)
 *                     0 STDIN bytes        4 RESIZE "ROWS COLS"        255 CLOSE_STDIN (EOF)
 *   shim -> client    1 STDOUT bytes       2 STDERR bytes       3 ERROR message, then close
 * The shim closes every connection once the container has exited and its output is drained:
 * end of stream is end of session (kubelet's attach returns when the streams close).
 *
 * Stdin rules, ported from containerd (internal/cri/io/container_io.go Attach): bytes from any
 * session with stdin go to the container; when a session's stdin ends (CLOSE_STDIN or
 * disconnect), then for `stdinOnce && !tty` the container's stdin is closed for good (the
 * process reads EOF); otherwise that session alone ends and the container's stdin stays open
 * for the next one. With a tty, stdout and stderr are the terminal: everything is stdout.
 * Output is not buffered for later sessions (only the CRI log has history). A client that
 * falls CLIENT_OUT_MAX behind is disconnected rather than slowing the log.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "shim.h"

#define FRAME_HEAD 5
#define MAX_FRAME (1u << 20)
#define CLIENT_OUT_MAX (4u << 20)
/* Grace after the container's init exits while escaped processes may still hold the output open. */
#define DRAIN_AFTER_EXIT_MS 2000

enum { F_STDIN = 0, F_STDOUT = 1, F_STDERR = 2, F_ERROR = 3, F_RESIZE = 4, F_HELLO = 16, F_CLOSE_STDIN = 255 };
enum { WANT_STDIN = 1, WANT_STDOUT = 2, WANT_STDERR = 4 };

static int buf_append(struct relay_buf *b, const void *data, size_t n) {
  if (b->len + n > b->cap) {
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + n) cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) return -1;
    b->data = p;
    b->cap = cap;
  }
  memcpy(b->data + b->len, data, n);
  b->len += n;
  return 0;
}

static void buf_consume(struct relay_buf *b, size_t n) {
  memmove(b->data, b->data + n, b->len - n);
  b->len -= n;
}

static void buf_free(struct relay_buf *b) {
  free(b->data);
  memset(b, 0, sizeof(*b));
}

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* The fd the container reads its stdin from, on the monitor's side. */
static int stdin_target(const struct stdio_relay *r) {
  if (!r->stdin_open) return -1;
  return r->tty ? r->master : r->in_w;
}

static void drop_client(struct relay_client *c) {
  close(c->fd);
  c->fd = -1;
  buf_free(&c->in);
  buf_free(&c->out);
}

static void flush_client(struct relay_client *c) {
  while (c->out.len > 0) {
    ssize_t n = write(c->fd, c->out.data, c->out.len);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return;
    if (n <= 0) {
      drop_client(c);
      return;
    }
    buf_consume(&c->out, (size_t)n);
  }
  if (c->closing) drop_client(c);
  /* Refused: the ERROR frame is out; the client closes once it has read it (closing first
     could reset the connection before the client reads it). */
  else if (c->refused) shutdown(c->fd, SHUT_WR);
}

static void broadcast(struct stdio_relay *r, int stream, const char *data, size_t n) {
  unsigned char head[FRAME_HEAD] = {(unsigned char)stream, (unsigned char)(n >> 24), (unsigned char)(n >> 16),
                                    (unsigned char)(n >> 8), (unsigned char)n};
  int want = stream == F_STDOUT ? WANT_STDOUT : WANT_STDERR;
  for (int i = 0; i < CLIENT_SLOTS; i++) {
    struct relay_client *c = &r->clients[i];
    if (c->fd < 0 || !c->greeted || c->closing || !(c->flags & want)) continue;
    if (c->out.len + FRAME_HEAD + n > CLIENT_OUT_MAX || buf_append(&c->out, head, FRAME_HEAD) < 0 ||
        buf_append(&c->out, data, n) < 0) {
      drop_client(c);
      continue;
    }
    flush_client(c);
  }
}

/* This session's stdin ended: containerd's rule (see the header comment). */
static void end_session_stdin(struct stdio_relay *r, struct relay_client *c) {
  if (!(c->flags & WANT_STDIN) || c->stdin_done) return;
  c->stdin_done = 1;
  if (r->stdin_once && !r->tty) {
    r->close_stdin = 1;
  } else {
    c->closing = 1;
    if (c->fd >= 0) flush_client(c);
  }
}

static void finish_stdin_close(struct stdio_relay *r) {
  if (!r->close_stdin || r->pending.len > 0 || r->tty) return;
  if (r->in_w >= 0) close(r->in_w);
  r->in_w = -1;
  r->stdin_open = 0;
  r->close_stdin = 0;
}

static void resize(struct stdio_relay *r, const char *payload, size_t n) {
  char line[64];
  unsigned rows = 0, cols = 0;
  if (!r->tty || n >= sizeof(line)) return;
  memcpy(line, payload, n);
  line[n] = '\0';
  if (sscanf(line, "%u %u", &rows, &cols) != 2 || rows > 65535 || cols > 65535) return;
  struct winsize ws = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};
  ioctl(r->master, TIOCSWINSZ, &ws);
}

/* Handles every complete frame in the client's input; returns -1 when the client broke the protocol. */
static int client_frames(struct stdio_relay *r, struct relay_client *c) {
  while (c->in.len >= FRAME_HEAD) {
    const unsigned char *h = (const unsigned char *)c->in.data;
    uint32_t n = (uint32_t)h[1] << 24 | (uint32_t)h[2] << 16 | (uint32_t)h[3] << 8 | h[4];
    if (n > MAX_FRAME) return -1;
    if (c->in.len < FRAME_HEAD + n) return 0;
    const char *payload = c->in.data + FRAME_HEAD;
    int type = h[0];
    if (!c->greeted && type != F_HELLO) return -1;
    switch (type) {
      case F_HELLO:
        if (c->greeted || n != 1) return -1;
        c->greeted = 1;
        c->flags = (unsigned char)payload[0] & (WANT_STDIN | WANT_STDOUT | WANT_STDERR);
        if (stdin_target(r) < 0) c->flags &= ~WANT_STDIN;
        break;
      case F_STDIN:
        if ((c->flags & WANT_STDIN) && !c->stdin_done && stdin_target(r) >= 0 && !r->close_stdin)
          if (buf_append(&r->pending, payload, n) < 0) return -1;
        break;
      case F_CLOSE_STDIN:
        end_session_stdin(r, c);
        break;
      case F_RESIZE:
        resize(r, payload, n);
        break;
      default:
        return -1;
    }
    if (c->fd < 0) return 0; /* the frame ended this session: its buffers are gone */
    buf_consume(&c->in, FRAME_HEAD + n);
  }
  return 0;
}

static void read_client(struct stdio_relay *r, struct relay_client *c) {
  char tmp[65536];
  ssize_t n = read(c->fd, tmp, sizeof(tmp));
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
  if (c->refused) {
    if (n <= 0) drop_client(c);
    return;
  }
  if (n <= 0 || buf_append(&c->in, tmp, (size_t)n) < 0 || client_frames(r, c) < 0) {
    end_session_stdin(r, c);
    if (c->fd >= 0) drop_client(c);
  }
}

static void accept_clients(struct stdio_relay *r) {
  for (;;) {
    int fd = accept4(r->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0) return;
    int slot = -1, active = 0;
    for (int i = 0; i < CLIENT_SLOTS; i++) {
      if (r->clients[i].fd >= 0 && !r->clients[i].refused) active++;
      else if (r->clients[i].fd < 0 && slot < 0) slot = i;
    }
    if (slot < 0) {
      close(fd);
      continue;
    }
    struct relay_client *c = &r->clients[slot];
    memset(c, 0, sizeof(*c));
    c->fd = fd;
    if (active < MAX_CLIENTS) continue;
    /* Full: refuse by name, so the session fails loudly instead of ending as if the container had. */
    char msg[64];
    int n = snprintf(msg, sizeof(msg), "too many attach sessions (%d)", MAX_CLIENTS);
    unsigned char head[FRAME_HEAD] = {F_ERROR, 0, 0, 0, (unsigned char)n};
    c->refused = 1;
    if (buf_append(&c->out, head, FRAME_HEAD) < 0 || buf_append(&c->out, msg, (size_t)n) < 0) {
      drop_client(c);
      continue;
    }
    flush_client(c);
  }
}

static void write_stdin(struct stdio_relay *r) {
  int fd = stdin_target(r);
  while (fd >= 0 && r->pending.len > 0) {
    ssize_t n = write(fd, r->pending.data, r->pending.len);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return;
    if (n <= 0) { /* the container closed its stdin: later bytes have nowhere to go */
      r->pending.len = 0;
      break;
    }
    buf_consume(&r->pending, (size_t)n);
  }
  finish_stdin_close(r);
}

/* Output fds: index 0 stdout (or the pty), 1 stderr; -1 once closed. */
enum { P_OUT, P_ERR, P_STDIN, P_SIG, P_LISTEN, P_CLIENTS };

void stdio_run(struct stdio_relay *r, struct log_writer *log, int sfd, pid_t child, int *status) {
  int out_fd[2] = {r->tty ? r->master : r->out_r, r->tty ? -1 : r->err_r};
  int open_streams = r->tty ? 1 : 2, exited = 0;
  long long exited_at = 0;
  char data[65536];
  struct pollfd fds[P_CLIENTS + CLIENT_SLOTS];
  while (open_streams > 0) {
    int timeout = -1;
    if (exited) {
      long long left = DRAIN_AFTER_EXIT_MS - (now_ms() - exited_at);
      if (left <= 0) break;
      timeout = (int)left;
    }
    int in_fd = stdin_target(r);
    fds[P_OUT] = (struct pollfd){out_fd[0], POLLIN, 0};
    fds[P_ERR] = (struct pollfd){out_fd[1], POLLIN, 0};
    /* With a tty the pty master is both the output and the stdin target: POLLOUT rides on P_OUT. */
    fds[P_STDIN] = (struct pollfd){r->pending.len > 0 && !r->tty ? in_fd : -1, POLLOUT, 0};
    if (r->tty && r->pending.len > 0 && in_fd >= 0 && out_fd[0] >= 0) fds[P_OUT].events |= POLLOUT;
    fds[P_SIG] = (struct pollfd){sfd, POLLIN, 0};
    fds[P_LISTEN] = (struct pollfd){r->listen_fd, POLLIN, 0};
    for (int i = 0; i < CLIENT_SLOTS; i++) {
      struct relay_client *c = &r->clients[i];
      /* Back-pressure: no client input is read while earlier stdin bytes wait for the container. */
      short ev = (short)((r->pending.len == 0 ? POLLIN : 0) | (c->out.len > 0 ? POLLOUT : 0));
      fds[P_CLIENTS + i] = (struct pollfd){c->fd, ev, 0};
    }
    int ready = poll(fds, P_CLIENTS + CLIENT_SLOTS, timeout);
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) continue;
    for (int s = 0; s < 2; s++) {
      if (out_fd[s] < 0 || !(fds[P_OUT + s].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = read(out_fd[s], data, sizeof(data));
      if (n > 0) {
        log_feed(log, s + 1, data, (size_t)n);
        broadcast(r, s + 1, data, (size_t)n);
      } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
        /* A pipe's EOF, or EIO from the pty master once every holder of the terminal is gone. */
        log_flush(log, s + 1);
        if (!r->tty) close(out_fd[s]);
        out_fd[s] = -1;
        open_streams--;
      }
    }
    if ((fds[P_STDIN].revents | (r->tty ? fds[P_OUT].revents : 0)) & (POLLOUT | POLLERR)) write_stdin(r);
    if (fds[P_SIG].revents & POLLIN) {
      struct signalfd_siginfo si;
      while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
      }
      int st;
      pid_t w;
      while ((w = waitpid(-1, &st, WNOHANG)) > 0) {
        if (w == child && !exited) {
          exited = 1;
          *status = st;
          exited_at = now_ms();
        }
      }
    }
    if (fds[P_LISTEN].revents & POLLIN) accept_clients(r);
    for (int i = 0; i < CLIENT_SLOTS; i++) {
      struct relay_client *c = &r->clients[i];
      short rev = fds[P_CLIENTS + i].revents;
      if (c->fd < 0 || c->fd != fds[P_CLIENTS + i].fd || !rev) continue;
      if (rev & POLLOUT) flush_client(c);
      if (c->fd >= 0 && rev & (POLLIN | POLLHUP | POLLERR)) read_client(r, c);
    }
    if (r->pending.len > 0) write_stdin(r);
    finish_stdin_close(r);
  }
  if (!exited) waitpid(child, status, 0);
  log_flush(log, 1);
  log_flush(log, 2);
}

/* Ends every session: what is queued goes out (bounded by a short send timeout), then EOF. */
void stdio_close(struct stdio_relay *r) {
  if (r->listen_fd >= 0) {
    close(r->listen_fd);
    unlink(r->sock_path);
  }
  struct timeval tv = {1, 0};
  for (int i = 0; i < CLIENT_SLOTS; i++) {
    struct relay_client *c = &r->clients[i];
    if (c->fd < 0) continue;
    fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) & ~O_NONBLOCK);
    setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    c->closing = 1;
    flush_client(c);
    if (c->fd >= 0) drop_client(c);
  }
  if (r->master >= 0) close(r->master);
  if (r->in_w >= 0) close(r->in_w);
  if (r->console[0] >= 0) close(r->console[0]);
  buf_free(&r->pending);
}
