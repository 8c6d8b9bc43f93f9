/*
 * Reads the launch description the engine writes (src/runtime/shim-config.ts is the other side).
 * Format: a flat sequence of NUL-terminated strings, "key", then that key's fixed number of values.
 * NUL separation means env values and arguments may contain any byte except NUL, with no escaping.
 * The buffer is kept for the life of the process: the config's strings point into it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shim.h"

static char *read_all(const char *path, size_t *len) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return NULL;
  struct stat st;
  if (fstat(fd, &st) < 0) {
    close(fd);
    return NULL;
  }
  char *buf = malloc((size_t)st.st_size + 1);
  size_t got = 0;
  while (buf && got < (size_t)st.st_size) {
    ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
    if (r <= 0) break;
    got += (size_t)r;
  }
  close(fd);
  if (!buf) return NULL;
  buf[got] = '\0';
  *len = got;
  return buf;
}

int config_load(const char *path, struct container_config *cfg, char *err, size_t errlen) {
  size_t len = 0;
  char *buf = read_all(path, &len);
  if (!buf) {
    snprintf(err, errlen, "read config %s: %s", path, strerror(errno));
    return -1;
  }
  memset(cfg, 0, sizeof(*cfg));
  cfg->max_log_size = 10 * 1024 * 1024;
  cfg->max_log_files = 5;
  char *tok[8];
  size_t pos = 0;
#define NEXT(i)                                                                  \
  do {                                                                           \
    if (pos >= len) {                                                            \
      snprintf(err, errlen, "config %s: key %s is missing a value", path, key); \
      return -1;                                                                 \
    }                                                                            \
    tok[i] = buf + pos;                                                          \
    pos += strlen(buf + pos) + 1;                                                \
  } while (0)
#define FULL(n, what)                                                              \
  do {                                                                             \
    if ((n) >= MAX_LIST) {                                                         \
      snprintf(err, errlen, "config %s: more than %d %s", path, MAX_LIST, what); \
      return -1;                                                                   \
    }                                                                              \
  } while (0)
  while (pos < len) {
    const char *key = buf + pos;
    pos += strlen(key) + 1;
    if (!strcmp(key, "id")) { NEXT(0); cfg->id = tok[0]; }
    else if (!strcmp(key, "log")) { NEXT(0); cfg->log_path = tok[0]; }
    else if (!strcmp(key, "exit-file")) { NEXT(0); cfg->exit_file = tok[0]; }
    else if (!strcmp(key, "pid-file")) { NEXT(0); cfg->pid_file = tok[0]; }
    else if (!strcmp(key, "sandbox-pid")) { NEXT(0); cfg->sandbox_pid = (pid_t)atol(tok[0]); }
    else if (!strcmp(key, "share-pid")) { NEXT(0); cfg->share_pid = atoi(tok[0]); }
    else if (!strcmp(key, "pid-target")) { NEXT(0); cfg->pid_target = (pid_t)atol(tok[0]); }
    else if (!strcmp(key, "cgroup")) { NEXT(0); FULL(cfg->n_cgroups, "cgroups"); cfg->cgroups[cfg->n_cgroups++] = tok[0]; }
    else if (!strcmp(key, "upper")) { NEXT(0); cfg->upper = tok[0]; }
    else if (!strcmp(key, "work")) { NEXT(0); cfg->work = tok[0]; }
    else if (!strcmp(key, "rootfs")) { NEXT(0); cfg->rootfs = tok[0]; }
    else if (!strcmp(key, "hide")) { NEXT(0); FULL(cfg->n_hide, "hidden paths"); cfg->hide[cfg->n_hide++] = tok[0]; }
    else if (!strcmp(key, "opaque")) { NEXT(0); FULL(cfg->n_opaque, "opaque paths"); cfg->opaque[cfg->n_opaque++] = tok[0]; }
    else if (!strcmp(key, "mount")) {
      NEXT(0); NEXT(1); NEXT(2); NEXT(3);
      FULL(cfg->n_mounts, "mounts");
      struct bind_mount *m = &cfg->mounts[cfg->n_mounts++];
      m->src = tok[0]; m->dst = tok[1]; m->readonly = atoi(tok[2]); m->propagation = tok[3];
    } else if (!strcmp(key, "tmpfs")) {
      NEXT(0); NEXT(1);
      FULL(cfg->n_tmpfs, "tmpfs mounts");
      cfg->tmpfs[cfg->n_tmpfs].dst = tok[0];
      cfg->tmpfs[cfg->n_tmpfs++].options = tok[1];
    }
    else if (!strcmp(key, "readonly-root")) { NEXT(0); cfg->readonly_root = atoi(tok[0]); }
    else if (!strcmp(key, "privileged")) { NEXT(0); cfg->privileged = atoi(tok[0]); }
    else if (!strcmp(key, "caps")) { NEXT(0); cfg->caps = strtoull(tok[0], NULL, 16); }
    else if (!strcmp(key, "no-new-privs")) { NEXT(0); cfg->no_new_privs = atoi(tok[0]); }
    else if (!strcmp(key, "uid")) { NEXT(0); cfg->uid = (uid_t)strtoul(tok[0], NULL, 10); }
    else if (!strcmp(key, "gid")) { NEXT(0); cfg->gid = (gid_t)strtoul(tok[0], NULL, 10); }
    else if (!strcmp(key, "group")) { NEXT(0); FULL(cfg->n_groups, "groups"); cfg->groups[cfg->n_groups++] = (gid_t)strtoul(tok[0], NULL, 10); }
    else if (!strcmp(key, "cwd")) { NEXT(0); cfg->cwd = tok[0]; }
    else if (!strcmp(key, "env")) { NEXT(0); FULL(cfg->n_env, "env entries"); cfg->env[cfg->n_env++] = tok[0]; }
    else if (!strcmp(key, "arg")) { NEXT(0); FULL(cfg->n_argv, "args"); cfg->argv[cfg->n_argv++] = tok[0]; }
    else if (!strcmp(key, "stdin")) { NEXT(0); cfg->stdin_open = atoi(tok[0]); }
    else if (!strcmp(key, "stdin-once")) { NEXT(0); cfg->stdin_once = atoi(tok[0]); }
    else if (!strcmp(key, "tty")) { NEXT(0); cfg->tty = atoi(tok[0]); }
    else if (!strcmp(key, "attach-socket")) { NEXT(0); cfg->attach_socket = tok[0]; }
    else if (!strcmp(key, "max-log-size")) { NEXT(0); cfg->max_log_size = atoll(tok[0]); }
    else if (!strcmp(key, "max-log-files")) { NEXT(0); cfg->max_log_files = atoi(tok[0]); }
    else {
      snprintf(err, errlen, "config %s: unknown key %s", path, key);
      return -1;
    }
  }
  if (!cfg->log_path || !cfg->exit_file || !cfg->pid_file || !cfg->upper || !cfg->work || !cfg->rootfs ||
      cfg->n_argv == 0 || cfg->sandbox_pid <= 0) {
    snprintf(err, errlen, "config %s: needs log, exit-file, pid-file, upper, work, rootfs, sandbox-pid, arg", path);
    return -1;
  }
  if (cfg->max_log_files < 1) cfg->max_log_files = 1;
  cfg->env[cfg->n_env] = NULL;
  cfg->argv[cfg->n_argv] = NULL;
  return 0;
}
