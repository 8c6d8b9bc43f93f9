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
 *                                 the detached monitor owns stdout/stderr (or the pty) and stdin,
 *                                 writes the CRI log, serves attach sessions on the attach socket
 *                                 (attach.c) and, when the container exits, writes its exit file
 *                                 (JSON), then exits.
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
  /* The PID namespace for the container: another container's (CRI TARGET, an ephemeral
     container's targetContainerName), the sandbox's (shareProcessNamespace) or a new one. */
  int pidns_ok;
  if (cfg->pid_target > 0 || cfg->share_pid) {
    char p[64];
    pid_t owner = cfg->pid_target > 0 ? cfg->pid_target : cfg->sandbox_pid;
    snprintf(p, sizeof(p), "/proc/%d/ns/pid", (int)owner);
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
  struct stdio_relay *io = calloc(1, sizeof(*io));
  int status_pipe[2];
  char why[4096];
  if (!io || sfd < 0 || pipe2(status_pipe, O_CLOEXEC) < 0) {
    snprintf(msg, sizeof(msg), "err pipes: %s", strerror(errno));
    report(readyfd, msg);
    _exit(1);
  }
  if (stdio_prepare(io, cfg, why, sizeof(why)) < 0) {
    snprintf(msg, sizeof(msg), "err %s", why);
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
    stdio_child(io, devnull);
    sigprocmask(SIG_SETMASK, &old, NULL);
    signal(SIGPIPE, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    container_init(cfg, status_pipe[1], stdio_console_fd(io));
  }
  stdio_after_fork(io);
  close(status_pipe[1]);
  /* With a tty the container sends its terminal before it execs; a failure before that closes
     the socket, and the reason then comes on status_pipe. */
  int console_ok = stdio_receive_console(io) == 0;
  ssize_t wn = read(status_pipe[0], why, sizeof(why) - 1);
  close(status_pipe[0]);
  if (wn > 0) {
    why[wn] = '\0';
    waitpid(child, NULL, 0);
    snprintf(msg, sizeof(msg), "err %s", why);
    report(readyfd, msg);
    _exit(1);
  }
  if (!console_ok) {
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    report(readyfd, "err the container's terminal was not received");
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

  int status = 0;
  stdio_run(io, log, sfd, child, &status);
  stdio_close(io);
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
