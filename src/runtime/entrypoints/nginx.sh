#!/bin/sh
# The nginx image's entrypoint on podbay: gives the container the official image's layout on top of
# Debian's nginx package, in the container's own writable layer (the host is never touched):
#  - /etc/nginx/nginx.conf as the official image ships it: only `include /etc/nginx/conf.d/*.conf`
#    inside `http`, none of Debian's sites-enabled (whose default_server would catch requests meant
#    for a pod's own server block, such as kubelet probes with `Host: <pod IP>`);
#  - conf.d/default.conf (listen 80, /usr/share/nginx/html) when nothing else is in conf.d;
#  - access and error logs to the container's stdout/stderr unless /var/log/nginx is a volume.
# A file or directory the pod mounts over any of these is left as the pod mounted it.
set -e
mounted() { grep -q " $1 " /proc/self/mountinfo; }

if ! mounted /etc/nginx/nginx.conf && ! mounted /etc/nginx; then
  cat > /etc/nginx/nginx.conf <<'CONF'
user  www-data;
worker_processes  auto;

error_log  /var/log/nginx/error.log notice;
pid        /run/nginx.pid;

events {
    worker_connections  1024;
}

http {
    include       /etc/nginx/mime.types;
    default_type  application/octet-stream;

    log_format  main  '$remote_addr - $remote_user [$time_local] "$request" '
                      '$status $body_bytes_sent "$http_referer" '
                      '"$http_user_agent" "$http_x_forwarded_for"';

    access_log  /var/log/nginx/access.log  main;

    sendfile        on;
    keepalive_timeout  65;

    include /etc/nginx/conf.d/*.conf;
}
CONF
fi

if ! mounted /etc/nginx/conf.d && ! ls /etc/nginx/conf.d/*.conf >/dev/null 2>&1; then
  mkdir -p /etc/nginx/conf.d
  cat > /etc/nginx/conf.d/default.conf <<'CONF'
server {
    listen       80;
    listen  [::]:80;
    server_name  localhost;

    location / {
        root   /usr/share/nginx/html;
        index  index.html index.htm;
    }

    error_page   500 502 503 504  /50x.html;
    location = /50x.html {
        root   /usr/share/nginx/html;
    }
}
CONF
fi

if ! mounted /var/log/nginx; then
  mkdir -p /var/log/nginx
  ln -sf /dev/stdout /var/log/nginx/access.log
  ln -sf /dev/stderr /var/log/nginx/error.log
fi

exec "$@"
