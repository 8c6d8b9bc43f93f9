/*
 * podbay-shim: the per-container monitor process (what conmon is to CRI-O and containerd-shim to
 * containerd), plus the small helpers that must enter namespaces (pause, exec, portforward).
 *
 * Why C while the engine is TypeScript: this process lives as long as its container, one per
 * container, and must outlive the engine (kill -9 of the server leaves pods running and logging).
 * A Node process costs ~40 MB of RSS each; the goal is under 2 MB idle overhead per pod. It also
 * has to do what Node cannot: setns/unshare/pivot_root/mknod between fork and exec. So the engine
 * stays TypeScript and this stays a small, dependency-free C program built by scripts/build-shim.sh.
 *
 * Modes:
 *   podbay-shim run CONFIG        start a container from CONFIG (see config.c) and monitor it:
 *                                 the launching process exits 0 printing "<container pid> <shim pid>"
 *                                 once the container has exec'd, or 1 with the reason on stderr;
 *                                 the detached monitor owns stdout/stderr, writes the CRI log and,
 *                                 when the container exits, its exit file (JSON), then exits.
 *   podbay-shim pause ...         the pod sandbox's namespace holder (enter.c)
 *   podbay-shim exec ...          run a command inside a running container (enter.c)
 *   podbay-shim portforward ...   relay stdin/stdout to a TCP port in a pod's network (enter.c)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "shim.h"

/* How long output is still drained after the container's init exits (processes that escaped into a
   shared PID namespace may hold the pipes open). */
#define DRAIN_AFTER_EXIT_MS 2000

static int write_file_atomic(const char *path, const char *data) {
  char tmp[4200];
  snprintf(tmp, sizeof(tmp), "%s.tmp", path);
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return -1;
  size_t n = strlen(data);
  int ok = write(fd, data, n) == (ssize_t)n && fsync(fd) == 0;
  close(fd);
  if (!ok || rename(tmp, path) < 0) return -1;
  return 0;
}

static void report(int fd, const char *msg) {
  if (write(fd, msg, strlen(msg)) < 0) _exit(1);
}

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* The detached monitor: starts the container, reports to the launcher on readyfd, then logs. */
static void monitor(const struct container_config *cfg, int readyfd) __attribute__((noreturn));
static void monitor(const struct container_config *cfg, int readyfd) {
  char msg[4200];
  setsid();
  int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
  dup2(devnull, 0);
  dup2(devnull, 1);
  dup2(devnull, 2);
  signal(SIGPIPE, SIG_IGN);
  signal(SIGHUP, SIG_IGN);
  signal(SIGINT, SIG_IGN);
  signal(SIGTERM, SIG_IGN);

  struct log_writer *log = log_open(cfg->log_path, cfg->max_log_size, cfg->max_log_files);
  if (!log) {
    snprintf(msg, sizeof(msg), "err open log %s: %s", cfg->log_path, strerror(errno));
    report(readyfd, msg);
    _exit(1);
  }
  /* The PID namespace for the container: the sandbox's (shareProcessNamespace) or a new one. */
  int pidns_ok;
  if (cfg->share_pid) {
    char p[64];
    snprintf(p, sizeof(p), "/proc/%d/ns/pid", (int)cfg->sandbox_pid);
    int fd = open(p, O_RDONLY | O_CLOEXEC);
    pidns_ok = fd >= 0 && setns(fd, CLONE_NEWPID) == 0;
    if (fd >= 0) close(fd);
  } else {
    pidns_ok = unshare(CLONE_NEWPID) == 0;
  }
  if (!pidns_ok) {
    snprintf(msg, sizeof(msg), "err pid namespace: %s", strerror(errno));
    report(readyfd, msg);
    _exit(1);
  }
  sigset_t mask, old;
  sigemptyset(&mask);
  sigaddset(&mask, SIGCHLD);
  sigprocmask(SIG_BLOCK, &mask, &old);
  int sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
  int out[2], errp[2], status_pipe[2];
  if (sfd < 0 || pipe2(out, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0 || pipe2(status_pipe, O_CLOEXEC) < 0) {
    snprintf(msg, sizeof(msg), "err pipes: %s", strerror(errno));
    report(readyfd, msg);
    _exit(1);
  }
  pid_t child = fork();
  if (child < 0) {
    snprintf(msg, sizeof(msg), "err fork: %s", strerror(errno));
    report(readyfd, msg);
    _exit(1);
  }
  if (child == 0) {
    dup2(devnull, 0);
    dup2(out[1], 1);
    dup2(errp[1], 2);
    sigprocmask(SIG_SETMASK, &old, NULL);
    signal(SIGPIPE, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    container_init(cfg, status_pipe[1]);
  }
  close(out[1]);
  close(errp[1]);
  close(status_pipe[1]);
  char why[4096];
  ssize_t wn = read(status_pipe[0], why, sizeof(why) - 1);
  close(status_pipe[0]);
  if (wn > 0) {
    why[wn] = '\0';
    waitpid(child, NULL, 0);
    snprintf(msg, sizeof(msg), "err %s", why);
    report(readyfd, msg);
    _exit(1);
  }
  snprintf(msg, sizeof(msg), "%d %d\n", (int)child, (int)getpid());
  if (write_file_atomic(cfg->pid_file, msg) < 0) {
    kill(child, SIGKILL);
    snprintf(msg, sizeof(msg), "err write pid file %s: %s", cfg->pid_file, strerror(errno));
    report(readyfd, msg);
    _exit(1);
  }
  report(readyfd, msg);
  close(readyfd);

  struct pollfd fds[3] = {{out[0], POLLIN, 0}, {errp[0], POLLIN, 0}, {sfd, POLLIN, 0}};
  int open_streams = 2, exited = 0, status = 0;
  long long exited_at = 0;
  char buf[65536];
  while (open_streams > 0) {
    int timeout = -1;
    if (exited) {
      long long left = DRAIN_AFTER_EXIT_MS - (now_ms() - exited_at);
      if (left <= 0) break;
      timeout = (int)left;
    }
    int r = poll(fds, 3, timeout);
    if (r < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; i++) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = read(fds[i].fd, buf, sizeof(buf));
      if (n > 0) {
        log_feed(log, i + 1, buf, (size_t)n);
      } else if (n == 0 || errno != EINTR) {
        log_flush(log, i + 1);
        close(fds[i].fd);
        fds[i].fd = -1;
        open_streams--;
      }
    }
    if (fds[2].revents & POLLIN) {
      struct signalfd_siginfo si;
      while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
      }
      int st;
      pid_t w;
      while ((w = waitpid(-1, &st, WNOHANG)) > 0) {
        if (w == child && !exited) {
          exited = 1;
          status = st;
          exited_at = now_ms();
        }
      }
    }
  }
  if (!exited) waitpid(child, &status, 0);
  log_flush(log, 1);
  log_flush(log, 2);
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  char finished[64];
  format_rfc3339_nano(finished, sizeof(finished));
  snprintf(msg, sizeof(msg), "{\"exitCode\":%d,\"signal\":%d,\"finishedAt\":\"%s\"}\n", code, sig, finished);
  write_file_atomic(cfg->exit_file, msg);
  _exit(0);
}

static int run_container(const char *config_path) {
  struct container_config *cfg = calloc(1, sizeof(*cfg));
  char err[4200];
  if (!cfg || config_load(config_path, cfg, err, sizeof(err)) < 0) {
    fprintf(stderr, "%s\n", cfg ? err : "out of memory");
    return 1;
  }
  int ready[2];
  if (pipe2(ready, O_CLOEXEC) < 0) {
    perror("pipe");
    return 1;
  }
  pid_t pid = fork();
  if (pid < 0) {
    perror("fork");
    return 1;
  }
  if (pid == 0) {
    close(ready[0]);
    /* Double fork: the monitor is re-parented away from the engine, so it outlives it. */
    pid_t m = fork();
    if (m != 0) _exit(m < 0 ? 1 : 0);
    monitor(cfg, ready[1]);
  }
  close(ready[1]);
  waitpid(pid, NULL, 0);
  char buf[4200];
  size_t got = 0;
  ssize_t n;
  while (got < sizeof(buf) - 1 && (n = read(ready[0], buf + got, sizeof(buf) - 1 - got)) > 0) got += (size_t)n;
  buf[got] = '\0';
  if (got == 0) {
    fprintf(stderr, "container monitor exited before reporting\n");
    return 1;
  }
  if (!strncmp(buf, "err ", 4)) {
    fprintf(stderr, "%s\n", buf + 4);
    return 1;
  }
  fputs(buf, stdout);
  return 0;
}

int main(int argc, char **argv) {
  if (argc >= 3 && !strcmp(argv[1], "run")) return run_container(argv[2]);
  if (argc >= 2 && !strcmp(argv[1], "pause")) return run_pause(argc - 2, argv + 2);
  if (argc >= 2 && !strcmp(argv[1], "exec")) return run_exec(argc - 2, argv + 2);
  if (argc >= 2 && !strcmp(argv[1], "portforward")) return run_portforward(argc - 2, argv + 2);
  fprintf(stderr, "usage: podbay-shim run CONFIG | pause | exec | portforward (see podbay-shim.c)\n");
  return 2;
}
