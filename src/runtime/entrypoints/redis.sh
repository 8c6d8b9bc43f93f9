#!/bin/sh
# The redis image's entrypoint on podbay: like the official image, which builds Redis with protected
# mode off because the container's network is already the boundary, a `redis-server` command gets
# `--protected-mode no` unless the arguments set protected-mode themselves.
set -e
if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then
  set -- redis-server "$@"
fi
if [ "$1" = redis-server ]; then
  case " $* " in
    *" --protected-mode "*) ;;
    *) set -- "$@" --protected-mode no ;;
  esac
fi
exec "$@"
