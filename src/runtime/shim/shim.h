/*
 * Shared declarations of podbay-shim's parts (see podbay-shim.c for why this is C).
 */
#ifndef PODBAY_SHIM_H
#define PODBAY_SHIM_H

#include <stddef.h>
#include <sys/types.h>

#define MAX_LIST 256

/* One container's launch description, read from the NUL-separated config file the engine writes. */
struct bind_mount {
  const char *src;
  const char *dst;
  int readonly;
  const char *propagation; /* private | rslave | rshared */
};

struct tmpfs_mount {
  const char *dst;
  const char *options;
};

struct container_config {
  const char *id;
  const char *log_path;
  const char *exit_file;
  const char *pid_file;
  pid_t sandbox_pid;
  int share_pid;
  const char *cgroups[MAX_LIST];
  int n_cgroups;
  const char *upper, *work, *rootfs;
  const char *hide[MAX_LIST];
  int n_hide;
  const char *opaque[MAX_LIST];
  int n_opaque;
  struct bind_mount mounts[MAX_LIST];
  int n_mounts;
  struct tmpfs_mount tmpfs[MAX_LIST];
  int n_tmpfs;
  int readonly_root;
  int privileged;
  unsigned long long caps; /* bit N = keep capability N */
  int no_new_privs;
  uid_t uid;
  gid_t gid;
  gid_t groups[MAX_LIST];
  int n_groups;
  const char *cwd;
  char *env[MAX_LIST + 1];
  int n_env;
  char *argv[MAX_LIST + 1];
  int n_argv;
  long long max_log_size;
  int max_log_files;
};

/* Identity and privileges applied to a container's process and to every exec in it. */
struct identity {
  uid_t uid;
  gid_t gid;
  const gid_t *groups;
  int n_groups;
  unsigned long long caps;
  int no_new_privs;
  int privileged;
};

/* config.c */
int config_load(const char *path, struct container_config *cfg, char *err, size_t errlen);

/* container-init.c: runs in the forked child; never returns on success (execs), writes why on errfd. */
void container_init(const struct container_config *cfg, int errfd) __attribute__((noreturn));
int apply_identity(const struct identity *id, char *err, size_t errlen);
int join_cgroups(const char *const *procs, int n, char *err, size_t errlen);
int mkdir_p(const char *path, mode_t mode);

/* enter.c: the pause, exec and portforward modes */
int run_pause(int argc, char **argv);
int run_exec(int argc, char **argv);
int run_portforward(int argc, char **argv);

/* log.c: CRI-format log writer with partial lines and rotation */
struct log_writer;
struct log_writer *log_open(const char *path, long long max_size, int max_files);
void log_feed(struct log_writer *w, int stream, const char *data, size_t n);
void log_flush(struct log_writer *w, int stream);
void format_rfc3339_nano(char *out, size_t outlen);

#endif
