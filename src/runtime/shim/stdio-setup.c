/*
 * The container's stdio, set up by the monitor before and after it forks the container:
 *  - without a tty: pipes for stdout and stderr, and with `stdin: true` a pipe whose write end
 *    the monitor keeps (attach.c feeds it);
 *  - with a tty: the container opens a pty in its OWN devpts once its rootfs is built and sends
 *    the master to the monitor over a socketpair (runc's console socket), so the terminal's name
 *    resolves inside the container and belongs to the container's user;
 *  - the attach socket (see attach.c for the protocol), bound with mode 0600.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "shim.h"

void set_nonblock(int fd) {
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

int stdio_prepare(struct stdio_relay *r, const struct container_config *cfg, char *err, size_t errlen) {
  memset(r, 0, sizeof(*r));
  r->tty = cfg->tty;
  r->stdin_once = cfg->stdin_once;
  r->master = r->console[0] = r->console[1] = r->in_r = r->in_w = r->out_r = r->out_w = r->err_r = r->err_w = r->listen_fd = -1;
  for (int i = 0; i < CLIENT_SLOTS; i++) r->clients[i].fd = -1;
  if (cfg->tty) {
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, r->console) < 0) {
      snprintf(err, errlen, "console socket: %s", strerror(errno));
      return -1;
    }
  } else {
    int out[2], errp[2];
    if (pipe2(out, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0) {
      snprintf(err, errlen, "pipes: %s", strerror(errno));
      return -1;
    }
    r->out_r = out[0], r->out_w = out[1], r->err_r = errp[0], r->err_w = errp[1];
    if (cfg->stdin_open) {
      int in[2];
      if (pipe2(in, O_CLOEXEC) < 0) {
        snprintf(err, errlen, "stdin pipe: %s", strerror(errno));
        return -1;
      }
      r->in_r = in[0], r->in_w = in[1];
      set_nonblock(r->in_w);
    }
  }
  r->stdin_open = cfg->stdin_open;
  if (!cfg->attach_socket) return 0;
  struct sockaddr_un addr;
  memset(&addr, 0, sizeof(addr));
  addr.sun_family = AF_UNIX;
  if (strlen(cfg->attach_socket) >= sizeof(addr.sun_path)) {
    snprintf(err, errlen, "attach-socket %s: longer than %zu bytes", cfg->attach_socket, sizeof(addr.sun_path) - 1);
    return -1;
  }
  snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", cfg->attach_socket);
  snprintf(r->sock_path, sizeof(r->sock_path), "%s", cfg->attach_socket);
  unlink(r->sock_path);
  r->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  mode_t old = umask(0077);
  int ok = r->listen_fd >= 0 && bind(r->listen_fd, (struct sockaddr *)&addr, sizeof(addr)) == 0 &&
           listen(r->listen_fd, MAX_CLIENTS) == 0;
  umask(old);
  if (!ok) {
    snprintf(err, errlen, "attach socket %s: %s", r->sock_path, strerror(errno));
    return -1;
  }
  return 0;
}

void stdio_child(const struct stdio_relay *r, int devnull) {
  if (r->tty) return; /* console_setup gives the container its terminal, inside its own devpts */
  dup2(r->in_r >= 0 ? r->in_r : devnull, 0);
  dup2(r->out_w, 1);
  dup2(r->err_w, 2);
}

int stdio_console_fd(const struct stdio_relay *r) {
  return r->tty ? r->console[1] : -1;
}

void stdio_after_fork(struct stdio_relay *r) {
  int *child_ends[] = {&r->console[1], &r->in_r, &r->out_w, &r->err_w};
  for (size_t i = 0; i < sizeof(child_ends) / sizeof(child_ends[0]); i++) {
    if (*child_ends[i] >= 0) close(*child_ends[i]);
    *child_ends[i] = -1;
  }
}

int console_setup(int sock, uid_t uid, gid_t gid, char *err, size_t errlen) {
  int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  int slave = -1;
  if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0 ||
      (slave = open(ptsname(master), O_RDWR | O_NOCTTY)) < 0) {
    snprintf(err, errlen, "pseudo-terminal in the container: %s", strerror(errno));
    return -1;
  }
  /* The container's user owns its terminal, as runc makes it, so it can reopen its ttyname. */
  if (fchown(slave, uid, gid) < 0) {
    snprintf(err, errlen, "chown terminal: %s", strerror(errno));
    return -1;
  }
  /* A session of its own with the pty as controlling terminal: ^C reaches the container. */
  if (setsid() < 0 || ioctl(slave, TIOCSCTTY, 0) < 0) {
    snprintf(err, errlen, "controlling terminal: %s", strerror(errno));
    return -1;
  }
  for (int fd = 0; fd < 3; fd++) dup2(slave, fd);
  if (slave > 2) close(slave);
  char data = 'm';
  struct iovec iov = {&data, 1};
  union {
    char buf[CMSG_SPACE(sizeof(int))];
    struct cmsghdr align;
  } u;
  memset(&u, 0, sizeof(u));
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof(u.buf)};
  struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(c), &master, sizeof(int));
  if (sendmsg(sock, &msg, 0) != 1) {
    snprintf(err, errlen, "send terminal to the monitor: %s", strerror(errno));
    return -1;
  }
  close(master);
  close(sock);
  return 0;
}

int stdio_receive_console(struct stdio_relay *r) {
  if (!r->tty) return 0;
  char data;
  struct iovec iov = {&data, 1};
  union {
    char buf[CMSG_SPACE(sizeof(int))];
    struct cmsghdr align;
  } u;
  memset(&u, 0, sizeof(u));
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof(u.buf)};
  ssize_t n;
  do n = recvmsg(r->console[0], &msg, MSG_CMSG_CLOEXEC);
  while (n < 0 && errno == EINTR);
  close(r->console[0]);
  r->console[0] = -1;
  struct cmsghdr *c = n == 1 ? CMSG_FIRSTHDR(&msg) : NULL;
  if (!c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) return -1; /* the child failed first */
  memcpy(&r->master, CMSG_DATA(c), sizeof(int));
  set_nonblock(r->master);
  return 0;
}
