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
  /* CRI NamespaceMode TARGET: join the PID namespace of this process (another container's
     init, e.g. an ephemeral container's target); wins over share_pid. 0: not set. */
  pid_t pid_target;
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
  /* Container stdio (attach.c): stdin kept open, closed after the first session, a pty. */
  int stdin_open;
  int stdin_once;
  int tty;
  const char *attach_socket; /* NULL: no attach (launch files written before attach existed) */
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
void container_init(const struct container_config *cfg, int errfd, int console_fd) __attribute__((noreturn));
int apply_identity(const struct identity *id, char *err, size_t errlen);
int join_cgroups(const char *const *procs, int n, char *err, size_t errlen);
int mkdir_p(const char *path, mode_t mode);

/* enter.c: the pause, exec and portforward modes */
int run_pause(int argc, char **argv);
int run_exec(int argc, char **argv);
int run_portforward(int argc, char **argv);

/* attach.c: the container's stdio, the attach socket and the monitor's relay loop */
#define MAX_CLIENTS 16
/* Slots beyond MAX_CLIENTS hold refused connections until their ERROR frame is read. */
#define CLIENT_SLOTS (MAX_CLIENTS + 4)
struct relay_buf {
  char *data;
  size_t len, cap;
};
struct relay_client {
  int fd; /* -1: free slot */
  int greeted, flags, stdin_done, closing, refused;
  struct relay_buf in, out;
};
struct stdio_relay {
  int tty, stdin_once, stdin_open, close_stdin;
  int master;                        /* tty: the pty master, received from the container */
  int console[2];                    /* tty: the socketpair the container sends its master on */
  int in_r, in_w, out_r, out_w, err_r, err_w; /* pipes without a tty */
  struct relay_buf pending;          /* client bytes not yet written to the container's stdin */
  int listen_fd;
  char sock_path[108];
  struct relay_client clients[CLIENT_SLOTS];
};
struct log_writer;
int stdio_prepare(struct stdio_relay *r, const struct container_config *cfg, char *err, size_t errlen);
void stdio_child(const struct stdio_relay *r, int devnull); /* in the forked child, before container_init */
void stdio_after_fork(struct stdio_relay *r);               /* the monitor closes the child's ends */
int stdio_receive_console(struct stdio_relay *r);           /* tty: the master from console_setup */
int stdio_console_fd(const struct stdio_relay *r);          /* container_init's console_fd, or -1 */
/* In the container, after its /dev/pts is mounted: opens a pty there, makes its slave the
   controlling terminal and fds 0-2, and sends the master to the monitor over `sock`. */
int console_setup(int sock, uid_t uid, gid_t gid, char *err, size_t errlen);
void set_nonblock(int fd);
void stdio_run(struct stdio_relay *r, struct log_writer *log, int sfd, pid_t child, int *status);
void stdio_close(struct stdio_relay *r);

/* log.c: CRI-format log writer with partial lines and rotation */
struct log_writer;
struct log_writer *log_open(const char *path, long long max_size, int max_files);
void log_feed(struct log_writer *w, int stream, const char *data, size_t n);
void log_flush(struct log_writer *w, int stream);
void format_rfc3339_nano(char *out, size_t outlen);

#endif
