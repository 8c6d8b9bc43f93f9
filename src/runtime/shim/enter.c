/*
 * The helpers that enter (or create) namespaces on the engine's behalf:
 *   pause --hostname NAME [--share-pid] [--host-network] [--host-ipc]
 *       creates the pod's network, UTS and IPC (and, with --share-pid, PID) namespaces, sets the
 *       hostname, brings lo up, then detaches and sleeps; prints its pid. It is the sandbox.
 *       --host-network keeps the host's network AND UTS namespaces (containerd does the same for
 *       a hostNetwork pod: its hostname is the node's); --host-ipc keeps the host's IPC namespace.
 *   exec --pid PID --config FILE [--tty] -- CMD [ARG]...
 *       runs CMD in the namespaces of the container whose init is PID, with the cgroups, identity,
 *       env and working directory of its launch file (config.c). Without
 *       --tty the command inherits this process's stdin/stdout/stderr. With --tty a pseudo-terminal
 *       is relayed to stdin/stdout, and fd 3, when open, carries "ROWS COLS\n" resize lines.
 *       Exits with the command's exit code (128+N for signal N); 126/127 when it could not start.
 *   portforward --pid PID --port N
 *       connects to 127.0.0.1:N inside the network namespace of PID and relays stdin/stdout to it.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "shim.h"

extern char **environ;

static int loopback_up(void) {
  int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  struct ifreq ifr;
  memset(&ifr, 0, sizeof(ifr));
  snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
  int rc = s >= 0 && ioctl(s, SIOCGIFFLAGS, &ifr) == 0 ? 0 : -1;
  ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
  if (rc == 0) rc = ioctl(s, SIOCSIFFLAGS, &ifr);
  if (s >= 0) close(s);
  return rc;
}

static volatile sig_atomic_t stop_requested = 0;
static void on_stop(int sig) {
  (void)sig;
  stop_requested = 1;
}

int run_pause(int argc, char **argv) {
  const char *hostname = NULL;
  int share_pid = 0, host_network = 0, host_ipc = 0;
  for (int i = 0; i < argc; i++) {
    if (!strcmp(argv[i], "--hostname") && i + 1 < argc) hostname = argv[++i];
    else if (!strcmp(argv[i], "--share-pid")) share_pid = 1;
    else if (!strcmp(argv[i], "--host-network")) host_network = 1;
    else if (!strcmp(argv[i], "--host-ipc")) host_ipc = 1;
    else {
      fprintf(stderr, "pause: unknown argument %s\n", argv[i]);
      return 2;
    }
  }
  int flags = (host_network ? 0 : CLONE_NEWNET | CLONE_NEWUTS) | (host_ipc ? 0 : CLONE_NEWIPC) |
              (share_pid ? CLONE_NEWPID : 0);
  if (flags != 0 && unshare(flags) < 0) {
    fprintf(stderr, "pause: unshare: %s\n", strerror(errno));
    return 1;
  }
  /* In the host's UTS namespace the hostname is the node's: never rename the host. */
  if (!host_network && hostname && sethostname(hostname, strlen(hostname)) < 0) {
    fprintf(stderr, "pause: sethostname %s: %s\n", hostname, strerror(errno));
    return 1;
  }
  if (!host_network && loopback_up() < 0) {
    fprintf(stderr, "pause: bring lo up: %s\n", strerror(errno));
    return 1;
  }
  pid_t pid = fork();
  if (pid < 0) {
    fprintf(stderr, "pause: fork: %s\n", strerror(errno));
    return 1;
  }
  if (pid > 0) {
    printf("%d\n", (int)pid);
    return 0;
  }
  setsid();
  if (chdir("/") < 0) _exit(1);
  int devnull = open("/dev/null", O_RDWR);
  dup2(devnull, 0);
  dup2(devnull, 1);
  dup2(devnull, 2);
  if (devnull > 2) close(devnull);
  signal(SIGHUP, SIG_IGN);
  signal(SIGPIPE, SIG_IGN);
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_stop;
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  /* As PID 1 of a shared PID namespace it also reaps orphans, like the Kubernetes pause image. */
  signal(SIGCHLD, SIG_DFL);
  while (!stop_requested) {
    pause();
    while (waitpid(-1, NULL, WNOHANG) > 0) {
    }
  }
  return 0;
}

static int open_ns(pid_t pid, const char *name) {
  char p[64];
  snprintf(p, sizeof(p), "/proc/%d/ns/%s", (int)pid, name);
  return open(p, O_RDONLY | O_CLOEXEC);
}

static void set_winsize(int fd, const char *line) {
  struct winsize ws;
  memset(&ws, 0, sizeof(ws));
  unsigned rows = 0, cols = 0;
  if (sscanf(line, "%u %u", &rows, &cols) == 2) {
    ws.ws_row = (unsigned short)rows;
    ws.ws_col = (unsigned short)cols;
    ioctl(fd, TIOCSWINSZ, &ws);
  }
}

static int write_all(int fd, const char *buf, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, buf, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return -1;
    buf += w;
    n -= (size_t)w;
  }
  return 0;
}

/* Relays stdin -> master and master -> stdout, and resize lines from fd 3, until the child exits. */
static void relay_tty(int master, pid_t child, int *status) {
  struct pollfd fds[3] = {{0, POLLIN, 0}, {master, POLLIN, 0}, {3, POLLIN, 0}};
  if (fcntl(3, F_GETFD) < 0) fds[2].fd = -1;
  char buf[32768], ctl[256];
  size_t ctl_len = 0;
  int done = 0, exited = 0;
  while (!done) {
    int ready = poll(fds, 3, exited ? 50 : 200);
    if (ready < 0 && errno != EINTR) break;
    /* A background process may keep the terminal open after the command ended: once the command
       has exited, stop as soon as the terminal goes quiet. */
    if (exited && ready == 0) break;
    if (!exited && waitpid(child, status, WNOHANG) == child) exited = 1;
    if (fds[0].fd >= 0 && fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      ssize_t n = read(0, buf, sizeof(buf));
      if (n <= 0) fds[0].fd = -1;
      else write_all(master, buf, (size_t)n);
    }
    if (fds[2].fd >= 0 && fds[2].revents & (POLLIN | POLLHUP | POLLERR)) {
      ssize_t n = read(3, ctl + ctl_len, sizeof(ctl) - 1 - ctl_len);
      if (n <= 0) fds[2].fd = -1;
      else {
        ctl_len += (size_t)n;
        ctl[ctl_len] = '\0';
        char *nl;
        while ((nl = strchr(ctl, '\n'))) {
          *nl = '\0';
          set_winsize(master, ctl);
          ctl_len -= (size_t)(nl + 1 - ctl);
          memmove(ctl, nl + 1, ctl_len + 1);
        }
        if (ctl_len == sizeof(ctl) - 1) ctl_len = 0;
      }
    }
    if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) {
      ssize_t n = read(master, buf, sizeof(buf));
      if (n > 0) write_all(1, buf, (size_t)n);
      else done = 1; /* EIO: every holder of the slave side is gone */
    }
  }
  if (!exited) waitpid(child, status, 0);
}

/* The exec'd command, for the SIGTERM handler: ending an exec ends the command's whole process group
   (a shell and what it started), not only this helper. */
static volatile pid_t exec_child = 0;
static void on_exec_term(int sig) {
  (void)sig;
  pid_t c = exec_child;
  if (c > 0) {
    kill(-c, SIGKILL);
    kill(c, SIGKILL);
  }
  _exit(137);
}

int run_exec(int argc, char **argv) {
  pid_t target = 0;
  int tty = 0, cmd_at = -1;
  const char *config_path = NULL;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    int has = i + 1 < argc;
    if (!strcmp(a, "--")) { cmd_at = i + 1; break; }
    else if (!strcmp(a, "--pid") && has) target = (pid_t)atoi(argv[++i]);
    else if (!strcmp(a, "--config") && has) config_path = argv[++i];
    else if (!strcmp(a, "--tty")) tty = 1;
    else {
      fprintf(stderr, "podbay-shim exec: bad argument %s\n", a);
      return 126;
    }
  }
  if (target <= 0 || !config_path || cmd_at < 0 || cmd_at >= argc) {
    fprintf(stderr, "podbay-shim exec: needs --pid PID --config FILE -- CMD\n");
    return 126;
  }
  /* Identity, cgroups, env and working directory come from the container's own launch file, so
     exec matches the container and env values never appear on a command line. */
  static struct container_config cfg;
  char err[4200];
  if (config_load(config_path, &cfg, err, sizeof(err)) < 0) {
    fprintf(stderr, "podbay-shim exec: %s\n", err);
    return 126;
  }
  struct identity id = {cfg.uid, cfg.gid, cfg.groups, cfg.n_groups, cfg.caps, cfg.no_new_privs, cfg.privileged};
  const char *cwd = cfg.cwd;
  char **env = cfg.env;
  int has_term = 0;
  for (int i = 0; i < cfg.n_env; i++) has_term |= !strncmp(cfg.env[i], "TERM=", 5);
  if (tty && !has_term && cfg.n_env < MAX_LIST) {
    cfg.env[cfg.n_env++] = "TERM=xterm";
    cfg.env[cfg.n_env] = NULL;
  }
  static const struct {
    const char *name;
    int type;
  } kinds[] = {{"ipc", CLONE_NEWIPC}, {"uts", CLONE_NEWUTS}, {"net", CLONE_NEWNET}, {"pid", CLONE_NEWPID}, {"mnt", CLONE_NEWNS}};
  int fds[5];
  for (int i = 0; i < 5; i++) {
    fds[i] = open_ns(target, kinds[i].name);
    if (fds[i] < 0) {
      fprintf(stderr, "podbay-shim exec: container process %d: %s\n", (int)target, strerror(errno));
      return 126;
    }
  }
  if (join_cgroups(cfg.cgroups, cfg.n_cgroups, err, sizeof(err)) < 0) {
    fprintf(stderr, "podbay-shim exec: %s\n", err);
    return 126;
  }
  for (int i = 0; i < 5; i++) {
    if (setns(fds[i], kinds[i].type) < 0) {
      fprintf(stderr, "podbay-shim exec: join %s namespace: %s\n", kinds[i].name, strerror(errno));
      return 126;
    }
    close(fds[i]);
  }
  /* The terminal comes from the container's own devpts (after joining its mount namespace), so
     the command's ttyname() resolves inside the container. */
  int master = -1, slave = -1;
  if (tty) {
    master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0 ||
        (slave = open(ptsname(master), O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0) {
      fprintf(stderr, "podbay-shim exec: pseudo-terminal: %s\n", strerror(errno));
      return 126;
    }
  }
  int errpipe[2];
  if (pipe2(errpipe, O_CLOEXEC) < 0) return 126;
  struct sigaction term;
  memset(&term, 0, sizeof(term));
  term.sa_handler = on_exec_term;
  sigaction(SIGTERM, &term, NULL);
  pid_t child = fork();
  if (child < 0) return 126;
  if (child == 0) {
    close(errpipe[0]);
    /* Our parent as seen from here: 0, since the helper sits outside the PID namespace we joined. */
    pid_t parent_seen = getppid();
    signal(SIGTERM, SIG_DFL);
    /* Its own process group (a TTY session below makes one too), so the helper can end it whole. */
    if (!tty) setpgid(0, 0);
    if (tty) {
      setsid();
      ioctl(slave, TIOCSCTTY, 0);
      dup2(slave, 0);
      dup2(slave, 1);
      dup2(slave, 2);
    }
    int code = 126;
    if (cwd && chdir(cwd) < 0) {
      snprintf(err, sizeof(err), "chdir %s: %s", cwd, strerror(errno));
    } else if (apply_identity(&id, err, sizeof(err)) == 0) {
      /* The command dies with this helper: the engine ends an exec (a probe's timeout, a client that
         went away) by killing the helper, and a command left behind would pile up, one per probe
         period, holding the helper's pipes open so the exec never reports its end (containerd kills
         a timed-out exec process too). Set after the identity change, which clears it; if the helper
         died before that, our parent changed and we stop here. */
      if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent_seen) _exit(137);
      environ = env;
      execvp(argv[cmd_at], argv + cmd_at);
      code = errno == ENOENT ? 127 : 126;
      snprintf(err, sizeof(err), "exec %s: %s", argv[cmd_at], strerror(errno));
    }
    if (write(errpipe[1], err, strlen(err)) < 0) _exit(code);
    _exit(code);
  }
  exec_child = child;
  close(errpipe[1]);
  if (slave >= 0) close(slave);
  int status = 0;
  char why[1024];
  ssize_t wn = read(errpipe[0], why, sizeof(why) - 1);
  if (wn > 0) {
    why[wn] = '\0';
    fprintf(stderr, "podbay-shim exec: %s\n", why);
  }
  if (tty && wn <= 0) relay_tty(master, child, &status);
  else waitpid(child, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int run_portforward(int argc, char **argv) {
  pid_t target = 0;
  int port = 0;
  for (int i = 0; i + 1 < argc; i += 2) {
    if (!strcmp(argv[i], "--pid")) target = (pid_t)atoi(argv[i + 1]);
    else if (!strcmp(argv[i], "--port")) port = atoi(argv[i + 1]);
  }
  if (target <= 0 || port <= 0 || port > 65535) {
    fprintf(stderr, "podbay-shim portforward: needs --pid PID --port 1-65535\n");
    return 2;
  }
  int nsfd = open_ns(target, "net");
  if (nsfd < 0 || setns(nsfd, CLONE_NEWNET) < 0) {
    fprintf(stderr, "podbay-shim portforward: join network of %d: %s\n", (int)target, strerror(errno));
    return 1;
  }
  int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct sockaddr_in addr;
  memset(&addr, 0, sizeof(addr));
  addr.sin_family = AF_INET;
  addr.sin_port = htons((unsigned short)port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (s < 0 || connect(s, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
    fprintf(stderr, "podbay-shim portforward: connect 127.0.0.1:%d: %s\n", port, strerror(errno));
    return 1;
  }
  signal(SIGPIPE, SIG_IGN);
  struct pollfd fds[2] = {{0, POLLIN, 0}, {s, POLLIN, 0}};
  char buf[65536];
  for (;;) {
    if (poll(fds, 2, -1) < 0 && errno != EINTR) return 1;
    if (fds[0].fd >= 0 && fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      ssize_t n = read(0, buf, sizeof(buf));
      if (n <= 0) {
        shutdown(s, SHUT_WR);
        fds[0].fd = -1;
      } else if (write_all(s, buf, (size_t)n) < 0) {
        return 0;
      }
    }
    if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) {
      ssize_t n = read(s, buf, sizeof(buf));
      if (n <= 0 || write_all(1, buf, (size_t)n) < 0) return 0;
    }
  }
}
