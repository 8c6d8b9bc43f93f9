/*
 * The container's first process, between fork and exec: join the pod's namespaces and the
 * container's cgroups, build the root filesystem in a private mount namespace (overlay of the host
 * root, hidden paths, /proc, /dev, /sys, volumes), pivot into it, drop privileges, exec.
 * The shim has already placed this process in its PID namespace (own, or the sandbox's).
 * Any failure is written to errfd as one line and the process exits 127 without exec.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "shim.h"

extern char **environ;

static int errfd_g = -1;

static void fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
static void fail(const char *fmt, ...) {
  char msg[4096];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(msg, sizeof(msg), fmt, ap);
  va_end(ap);
  if (n > (int)sizeof(msg) - 1) n = (int)sizeof(msg) - 1;
  if (errfd_g >= 0 && write(errfd_g, msg, (size_t)n) < 0) _exit(127);
  _exit(127);
}

int mkdir_p(const char *path, mode_t mode) {
  char tmp[4096];
  snprintf(tmp, sizeof(tmp), "%s", path);
  for (char *p = tmp + 1; *p; p++) {
    if (*p != '/') continue;
    *p = '\0';
    if (mkdir(tmp, mode) < 0 && errno != EEXIST) return -1;
    *p = '/';
  }
  if (mkdir(tmp, mode) < 0 && errno != EEXIST) return -1;
  return 0;
}

int join_cgroups(const char *const *procs, int n, char *err, size_t errlen) {
  for (int i = 0; i < n; i++) {
    int fd = open(procs[i], O_WRONLY | O_CLOEXEC);
    /* "0" means the writing process itself, in both cgroup v1 and v2. */
    if (fd < 0 || write(fd, "0", 1) != 1) {
      snprintf(err, errlen, "join cgroup %s: %s", procs[i], strerror(errno));
      if (fd >= 0) close(fd);
      return -1;
    }
    close(fd);
  }
  return 0;
}

static void join_sandbox_namespaces(pid_t sandbox_pid) {
  static const struct {
    const char *name;
    int type;
  } ns[] = {{"ipc", CLONE_NEWIPC}, {"uts", CLONE_NEWUTS}, {"net", CLONE_NEWNET}};
  for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
    char path[64];
    snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)sandbox_pid, ns[i].name);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) fail("open sandbox namespace %s: %s", path, strerror(errno));
    if (setns(fd, ns[i].type) < 0) fail("join sandbox namespace %s: %s", path, strerror(errno));
    close(fd);
  }
}

static void join_path(char *out, size_t outlen, const char *root, const char *path) {
  int n = snprintf(out, outlen, "%s/%s", root, path[0] == '/' ? path + 1 : path);
  if (n < 0 || (size_t)n >= outlen) fail("path too long: %s/%s", root, path);
}

/* `path` inside `root` as the container will see it: every symlink met on the way is resolved
   with `root` as "/" (an absolute target restarts at root, ".." stops at root), as runc's
   securejoin does. A plain join would follow e.g. /var/run -> /run on the host and create the
   mount point (and mount) outside the container's root filesystem. Components that do not exist
   yet are appended as they are; mkdir_p then creates them as real directories. */
static void secure_join(char *out, size_t outlen, const char *root, const char *path) {
  char rest[8192], resolved[4096] = "";
  int hops = 0;
  if (snprintf(rest, sizeof(rest), "%s", path) >= (int)sizeof(rest)) fail("path too long: %s", path);
  char *cur = rest;
  while (*cur) {
    while (*cur == '/') cur++;
    if (!*cur) break;
    char *slash = strchr(cur, '/');
    size_t len = slash ? (size_t)(slash - cur) : strlen(cur);
    char comp[256];
    if (len >= sizeof(comp)) fail("path component too long in %s", path);
    memcpy(comp, cur, len);
    comp[len] = '\0';
    cur += len;
    if (!strcmp(comp, ".")) continue;
    if (!strcmp(comp, "..")) {
      char *last = strrchr(resolved, '/');
      if (last) *last = '\0';
      continue;
    }
    char candidate[4096], full[8192];
    if (snprintf(candidate, sizeof(candidate), "%s/%s", resolved, comp) >= (int)sizeof(candidate))
      fail("path too long: %s", path);
    snprintf(full, sizeof(full), "%s%s", root, candidate);
    struct stat st;
    if (lstat(full, &st) == 0 && S_ISLNK(st.st_mode)) {
      if (++hops > 255) fail("too many symlinks resolving %s", path);
      char target[4096];
      ssize_t n = readlink(full, target, sizeof(target) - 1);
      if (n < 0) fail("readlink %s: %s", full, strerror(errno));
      target[n] = '\0';
      char next[8192];
      if (snprintf(next, sizeof(next), "%s%s", target, cur) >= (int)sizeof(next)) fail("path too long: %s", path);
      if (target[0] == '/') resolved[0] = '\0';
      memcpy(rest, next, strlen(next) + 1);
      cur = rest;
      continue;
    }
    memcpy(resolved, candidate, strlen(candidate) + 1);
  }
  int n = snprintf(out, outlen, "%s%s", root, resolved[0] ? resolved : "/");
  if (n < 0 || (size_t)n >= outlen) fail("path too long: %s%s", root, resolved);
}

/* Creates the upper-layer directories leading to `rel` with the host's owner and mode, so the merged
   view keeps them (an upper directory's attributes win over the lower one's: /tmp must stay 1777). */
static void mkdir_upper_like_host(const char *upper, const char *rel) {
  char host[2048], up[4096];
  if (strlen(rel) >= sizeof(host)) fail("hide: path too long: %s", rel);
  memcpy(host, rel, strlen(rel) + 1);
  for (char *p = host + 1;; p++) {
    int end = *p == '\0';
    if (!end && *p != '/') continue;
    *p = '\0';
    struct stat st;
    join_path(up, sizeof(up), upper, host);
    if (stat(host, &st) == 0 && S_ISDIR(st.st_mode) && mkdir(up, st.st_mode & 07777) == 0) {
      if (chown(up, st.st_uid, st.st_gid) < 0 || chmod(up, st.st_mode & 07777) < 0)
        fail("hide: copy attributes to %s: %s", up, strerror(errno));
    }
    if (end) break;
    *p = '/';
  }
}

/* A whiteout (char device 0/0) in the upper layer makes the lower path vanish from the container. */
static void hide_paths(const struct container_config *cfg) {
  for (int i = 0; i < cfg->n_hide; i++) {
    char target[4096], parent[4096];
    join_path(target, sizeof(target), cfg->upper, cfg->hide[i]);
    snprintf(parent, sizeof(parent), "%s", cfg->hide[i]);
    char *slash = strrchr(parent, '/');
    if (slash && slash != parent) {
      *slash = '\0';
      mkdir_upper_like_host(cfg->upper, parent);
    }
    if (mknod(target, S_IFCHR | 0000, makedev(0, 0)) < 0 && errno != EEXIST)
      fail("hide %s: mknod whiteout: %s", cfg->hide[i], strerror(errno));
  }
  /* An opaque directory shows only its upper contents: the host's files under it are hidden while
     the directory itself (owner, mode 1777 for /tmp) stays. */
  for (int i = 0; i < cfg->n_opaque; i++) {
    char target[4096];
    join_path(target, sizeof(target), cfg->upper, cfg->opaque[i]);
    mkdir_upper_like_host(cfg->upper, cfg->opaque[i]);
    if (setxattr(target, "trusted.overlay.opaque", "y", 1, 0) < 0)
      fail("empty %s: set opaque: %s", cfg->opaque[i], strerror(errno));
  }
}

static void must_mount(const char *src, const char *dst, const char *type, unsigned long flags,
                       const char *data) {
  if (mount(src, dst, type, flags, data) < 0)
    fail("mount %s on %s (%s): %s", src ? src : "none", dst, type ? type : "bind", strerror(errno));
}

static void make_dev(const char *rootfs) {
  static const struct {
    const char *name;
    unsigned maj, min;
  } devs[] = {{"null", 1, 3}, {"zero", 1, 5}, {"full", 1, 7}, {"random", 1, 8}, {"urandom", 1, 9}, {"tty", 5, 0}};
  static const struct {
    const char *name, *target;
  } links[] = {{"ptmx", "pts/ptmx"},       {"fd", "/proc/self/fd"},          {"stdin", "/proc/self/fd/0"},
               {"stdout", "/proc/self/fd/1"}, {"stderr", "/proc/self/fd/2"}, {"core", "/proc/kcore"}};
  char dev[4096], p[4200];
  join_path(dev, sizeof(dev), rootfs, "/dev");
  must_mount("tmpfs", dev, "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k");
  for (size_t i = 0; i < sizeof(devs) / sizeof(devs[0]); i++) {
    snprintf(p, sizeof(p), "%s/%s", dev, devs[i].name);
    if (mknod(p, S_IFCHR | 0666, makedev(devs[i].maj, devs[i].min)) < 0) fail("mknod %s: %s", p, strerror(errno));
    chmod(p, 0666); /* mknod honours the umask */
  }
  for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
    snprintf(p, sizeof(p), "%s/%s", dev, links[i].name);
    if (symlink(links[i].target, p) < 0) fail("symlink %s: %s", p, strerror(errno));
  }
  snprintf(p, sizeof(p), "%s/pts", dev);
  mkdir(p, 0755);
  must_mount("devpts", p, "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620,gid=5");
  snprintf(p, sizeof(p), "%s/shm", dev);
  mkdir(p, 01777);
  must_mount("shm", p, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=1777,size=65536k");
}

/* runc's default masked and read-only paths (libcontainer/specconv/example.go). */
static const char *const masked_paths[] = {"/proc/acpi",         "/proc/asound",     "/proc/kcore",
                                           "/proc/keys",         "/proc/latency_stats", "/proc/timer_list",
                                           "/proc/timer_stats",  "/proc/sched_debug", "/proc/scsi",
                                           "/sys/firmware",      "/sys/devices/virtual/powercap"};
static const char *const readonly_paths[] = {"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
                                             "/proc/sysrq-trigger"};

static void mask_paths(const char *rootfs) {
  char p[4096], devnull[4096];
  join_path(devnull, sizeof(devnull), rootfs, "/dev/null");
  for (size_t i = 0; i < sizeof(masked_paths) / sizeof(masked_paths[0]); i++) {
    join_path(p, sizeof(p), rootfs, masked_paths[i]);
    struct stat st;
    if (stat(p, &st) < 0) continue;
    if (S_ISDIR(st.st_mode))
      must_mount("tmpfs", p, "tmpfs", MS_RDONLY, "size=0");
    else
      must_mount(devnull, p, NULL, MS_BIND, NULL);
  }
  for (size_t i = 0; i < sizeof(readonly_paths) / sizeof(readonly_paths[0]); i++) {
    join_path(p, sizeof(p), rootfs, readonly_paths[i]);
    if (access(p, F_OK) < 0) continue;
    must_mount(p, p, NULL, MS_BIND | MS_REC, NULL);
    must_mount(NULL, p, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
  }
}

static void bind_volumes(const struct container_config *cfg) {
  for (int i = 0; i < cfg->n_mounts; i++) {
    const struct bind_mount *m = &cfg->mounts[i];
    char target[4096];
    struct stat st;
    secure_join(target, sizeof(target), cfg->rootfs, m->dst);
    if (stat(m->src, &st) < 0) fail("mount %s: source %s: %s", m->dst, m->src, strerror(errno));
    if (S_ISDIR(st.st_mode)) {
      if (mkdir_p(target, 0755) < 0) fail("mount %s: mkdir: %s", m->dst, strerror(errno));
    } else {
      char parent[4096];
      snprintf(parent, sizeof(parent), "%s", target);
      char *slash = strrchr(parent, '/');
      if (slash) *slash = '\0';
      mkdir_p(parent, 0755);
      int fd = open(target, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
      if (fd < 0 && errno != EISDIR) fail("mount %s: create target: %s", m->dst, strerror(errno));
      if (fd >= 0) close(fd);
    }
    must_mount(m->src, target, NULL, MS_BIND | MS_REC, NULL);
    if (m->readonly)
      must_mount(NULL, target, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL);
    unsigned long prop = !strcmp(m->propagation, "rshared")   ? MS_SHARED
                         : !strcmp(m->propagation, "rslave") ? MS_SLAVE
                                                             : MS_PRIVATE;
    must_mount(NULL, target, NULL, MS_REC | prop, NULL);
  }
  for (int i = 0; i < cfg->n_tmpfs; i++) {
    char target[4096];
    secure_join(target, sizeof(target), cfg->rootfs, cfg->tmpfs[i].dst);
    if (mkdir_p(target, 0755) < 0) fail("tmpfs %s: mkdir: %s", cfg->tmpfs[i].dst, strerror(errno));
    must_mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV, cfg->tmpfs[i].options);
  }
}

static void build_rootfs(const struct container_config *cfg) {
  /* Slave, not private: nothing mounted here propagates back to the host. */
  must_mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL);
  hide_paths(cfg);
  char opts[12288], p[4096];
  snprintf(opts, sizeof(opts), "lowerdir=/,upperdir=%s,workdir=%s", cfg->upper, cfg->work);
  must_mount("overlay", cfg->rootfs, "overlay", 0, opts);
  join_path(p, sizeof(p), cfg->rootfs, "/proc");
  mkdir(p, 0555);
  must_mount("proc", p, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
  make_dev(cfg->rootfs);
  join_path(p, sizeof(p), cfg->rootfs, "/sys");
  mkdir(p, 0555);
  unsigned long sysflags = MS_NOSUID | MS_NODEV | MS_NOEXEC | (cfg->privileged ? 0 : MS_RDONLY);
  if (mount("sysfs", p, "sysfs", sysflags, NULL) < 0) {
    must_mount("/sys", p, NULL, MS_BIND | MS_REC, NULL);
    if (!cfg->privileged) must_mount(NULL, p, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL);
  }
  bind_volumes(cfg);
  if (!cfg->privileged) mask_paths(cfg->rootfs);
  if (chdir(cfg->rootfs) < 0) fail("chdir %s: %s", cfg->rootfs, strerror(errno));
  if (syscall(SYS_pivot_root, ".", ".") < 0) fail("pivot_root: %s", strerror(errno));
  if (umount2(".", MNT_DETACH) < 0) fail("detach old root: %s", strerror(errno));
  if (chdir("/") < 0) fail("chdir /: %s", strerror(errno));
  if (cfg->readonly_root) must_mount(NULL, "/", NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL);
}

int apply_identity(const struct identity *id, char *err, size_t errlen) {
  int last = 40;
  FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "re");
  if (f) {
    if (fscanf(f, "%d", &last) != 1) last = 40;
    fclose(f);
  }
  unsigned long long all = last >= 63 ? ~0ULL : (1ULL << (last + 1)) - 1;
  /* Never more than the engine itself holds: "privileged" means every capability it has. */
  struct __user_cap_header_struct own_hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
  struct __user_cap_data_struct own[2];
  if (syscall(SYS_capget, &own_hdr, own) == 0)
    all &= (unsigned long long)own[0].permitted | ((unsigned long long)own[1].permitted << 32);
  unsigned long long keep = (id->privileged ? ~0ULL : id->caps) & all;
  for (int c = 0; c <= last; c++) {
    if (keep & (1ULL << c)) continue;
    if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 && errno != EINVAL) {
      snprintf(err, errlen, "drop capability %d from the bounding set: %s", c, strerror(errno));
      return -1;
    }
  }
  if (setgroups((size_t)id->n_groups, id->groups) < 0 || setresgid(id->gid, id->gid, id->gid) < 0) {
    snprintf(err, errlen, "set groups/gid %u: %s", (unsigned)id->gid, strerror(errno));
    return -1;
  }
  /* Root keeps exactly the kept set (permitted = effective, no inheritable); a non-root user's
     capabilities are cleared by the kernel at setuid/exec, as under containerd without ambient caps. */
  struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
  struct __user_cap_data_struct data[2];
  memset(data, 0, sizeof(data));
  for (int i = 0; i < 2; i++) {
    data[i].effective = data[i].permitted = (unsigned)(keep >> (32 * i));
  }
  if (id->uid == 0 && syscall(SYS_capset, &hdr, data) < 0) {
    snprintf(err, errlen, "capset: %s", strerror(errno));
    return -1;
  }
  if (setresuid(id->uid, id->uid, id->uid) < 0) {
    snprintf(err, errlen, "setuid %u: %s", (unsigned)id->uid, strerror(errno));
    return -1;
  }
  if (id->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
    snprintf(err, errlen, "no_new_privs: %s", strerror(errno));
    return -1;
  }
  return 0;
}

void container_init(const struct container_config *cfg, int errfd, int console_fd) {
  char err[1024];
  errfd_g = errfd;
  if (join_cgroups(cfg->cgroups, cfg->n_cgroups, err, sizeof(err)) < 0) fail("%s", err);
  join_sandbox_namespaces(cfg->sandbox_pid);
  if (unshare(CLONE_NEWNS) < 0) fail("new mount namespace: %s", strerror(errno));
  build_rootfs(cfg);
  /* The terminal comes from the container's own devpts, now mounted (runc's console socket). */
  if (console_fd >= 0 && console_setup(console_fd, cfg->uid, cfg->gid, err, sizeof(err)) < 0) fail("%s", err);
  const char *cwd = cfg->cwd && cfg->cwd[0] ? cfg->cwd : "/";
  if (mkdir_p(cwd, 0755) < 0 && errno != EROFS) fail("create workingDir %s: %s", cwd, strerror(errno));
  if (chdir(cwd) < 0) fail("chdir to workingDir %s: %s", cwd, strerror(errno));
  struct identity id = {cfg->uid, cfg->gid, cfg->groups, cfg->n_groups, cfg->caps, cfg->no_new_privs, cfg->privileged};
  if (apply_identity(&id, err, sizeof(err)) < 0) fail("%s", err);
  environ = (char **)cfg->env;
  execvp(cfg->argv[0], cfg->argv);
  fail("exec %s: %s", cfg->argv[0], strerror(errno));
}
