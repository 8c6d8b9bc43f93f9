/*
 * CRI log writer: `<RFC3339 timestamp, 9 fraction digits> <stdout|stderr> <P|F> <bytes>\n`.
 * A line longer than LINE_MAX_BYTES is cut into P (partial) records ended by an F record, as
 * containerd does, so a reader joins P..F. The file is rotated when the next record would pass
 * max_size: renamed to `<path>.<YYYYMMDD-HHMMSS>` (kubelet's suffix) keeping max_files files in all.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "shim.h"

#define LINE_MAX_BYTES 16384

struct log_writer {
  char path[4096];
  int fd;
  long long size;
  long long max_size;
  int max_files;
  char buf[2][LINE_MAX_BYTES];
  size_t len[2];
};

void format_rfc3339_nano(char *out, size_t outlen) {
  struct timespec ts;
  struct tm tm;
  clock_gettime(CLOCK_REALTIME, &ts);
  gmtime_r(&ts.tv_sec, &tm);
  size_t n = strftime(out, outlen, "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf(out + n, outlen - n, ".%09ldZ", ts.tv_nsec);
}

static int open_log(struct log_writer *w) {
  w->fd = open(w->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  struct stat st;
  w->size = (w->fd >= 0 && fstat(w->fd, &st) == 0) ? st.st_size : 0;
  return w->fd;
}

struct log_writer *log_open(const char *path, long long max_size, int max_files) {
  struct log_writer *w = calloc(1, sizeof(*w));
  if (!w) return NULL;
  snprintf(w->path, sizeof(w->path), "%s", path);
  w->max_size = max_size;
  w->max_files = max_files;
  if (open_log(w) < 0) {
    free(w);
    return NULL;
  }
  return w;
}

static int cmp_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Deletes the oldest rotated files so that at most max_files-1 remain beside the live one. */
static void prune_rotated(struct log_writer *w) {
  char dir[4096], base[4096];
  snprintf(dir, sizeof(dir), "%s", w->path);
  snprintf(base, sizeof(base), "%s", w->path);
  char *d = dirname(dir);
  char *b = basename(base);
  size_t blen = strlen(b);
  DIR *dp = opendir(d);
  if (!dp) return;
  char *names[512];
  int n = 0;
  struct dirent *e;
  while ((e = readdir(dp)) && n < 512) {
    if (!strncmp(e->d_name, b, blen) && e->d_name[blen] == '.') names[n++] = strdup(e->d_name);
  }
  closedir(dp);
  qsort(names, (size_t)n, sizeof(char *), cmp_names);
  for (int i = 0; i < n; i++) {
    if (i < n - (w->max_files - 1)) {
      char full[8192];
      snprintf(full, sizeof(full), "%s/%s", d, names[i]);
      unlink(full);
    }
    free(names[i]);
  }
}

static void rotate(struct log_writer *w) {
  char stamp[32], target[4200];
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
  snprintf(target, sizeof(target), "%s.%s", w->path, stamp);
  /* Two rotations within one second: add a counter so neither file is overwritten. */
  for (int i = 1; access(target, F_OK) == 0 && i < 1000; i++)
    snprintf(target, sizeof(target), "%s.%s-%03d", w->path, stamp, i);
  close(w->fd);
  if (w->max_files <= 1) {
    unlink(w->path);
  } else {
    rename(w->path, target);
    prune_rotated(w);
  }
  open_log(w);
}

static void write_record(struct log_writer *w, int stream, char tag, const char *data, size_t n) {
  char head[80];
  format_rfc3339_nano(head, sizeof(head));
  size_t hl = strlen(head);
  hl += (size_t)snprintf(head + hl, sizeof(head) - hl, " %s %c ", stream == 1 ? "stdout" : "stderr", tag);
  long long total = (long long)(hl + n + 1);
  if (w->size > 0 && w->size + total > w->max_size) rotate(w);
  if (w->fd < 0) return;
  struct iovec iov[3] = {{head, hl}, {(void *)data, n}, {"\n", 1}};
  ssize_t r = writev(w->fd, iov, 3);
  if (r > 0) w->size += r;
}

void log_feed(struct log_writer *w, int stream, const char *data, size_t n) {
  int s = stream == 1 ? 0 : 1;
  for (size_t i = 0; i < n; i++) {
    if (data[i] == '\n') {
      /* containerd drops the \r of a \r\n line end (a terminal's output ends lines with both). */
      if (w->len[s] > 0 && w->buf[s][w->len[s] - 1] == '\r') w->len[s]--;
      write_record(w, stream, 'F', w->buf[s], w->len[s]);
      w->len[s] = 0;
      continue;
    }
    w->buf[s][w->len[s]++] = data[i];
    if (w->len[s] == LINE_MAX_BYTES) {
      write_record(w, stream, 'P', w->buf[s], w->len[s]);
      w->len[s] = 0;
    }
  }
}

/* At end of stream an unterminated tail is written as a final (F) record. */
void log_flush(struct log_writer *w, int stream) {
  int s = stream == 1 ? 0 : 1;
  if (w->len[s] > 0) write_record(w, stream, 'F', w->buf[s], w->len[s]);
  w->len[s] = 0;
}
