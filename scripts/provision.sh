#!/usr/bin/env bash
# Provisions what ArtGallery needs on a Debian/Ubuntu machine and exports ConnectionStrings__Gallery.
# Sourced by run.sh and test.sh. Idempotent: a second run only checks and (re)starts the cluster.
#
#   ConnectionStrings__Gallery set  -> that server is used as is (it must have pgvector available).
#   otherwise                       -> PostgreSQL from the distribution, pgvector from a distribution
#                                      package or built from the next Debian release's source package,
#                                      and a private cluster on 127.0.0.1:$ARTGALLERY_PG_PORT run by an
#                                      unprivileged user, with its data under .data/ (git-ignored).

ag_log() { printf '\033[1;34m[artgallery]\033[0m %s\n' "$*" >&2; }
ag_die() { printf '\033[1;31m[artgallery] %s\033[0m\n' "$*" >&2; exit 1; }

AG_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
AG_DATA=${ARTGALLERY_DATA:-$AG_ROOT/.data}
mkdir -p "$AG_DATA"

ag_sudo() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else ag_die "need root (or sudo) to run: $*"; fi
}

AG_APT_UPDATED=0
ag_apt_update_once() {
  if [ $AG_APT_UPDATED -eq 0 ]; then ag_log "apt-get update"; ag_sudo apt-get update -qq >/dev/null || ag_die "apt-get update failed"; AG_APT_UPDATED=1; fi
}

ag_apt_install() {
  local missing=()
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  ag_apt_update_once
  ag_log "installing ${missing[*]}"
  ag_sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || ag_die "apt-get install ${missing[*]} failed"
}

ag_pg_bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

# The Debian suite after this machine's, whose source package of pgvector we build.
ag_next_suite() {
  case "$1" in
    bullseye) echo bookworm ;; bookworm) echo trixie ;; trixie) echo forky ;; *) echo "" ;;
  esac
}

# The Debian archive this machine already uses (never a hard-coded host).
ag_debian_mirror() {
  local uri
  uri=$(grep -hE '^\s*URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v -- '-security' | head -n 1)
  [ -n "$uri" ] || uri=$(grep -hE '^\s*deb\s' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
      | sed -E 's/\[[^]]*\]//' | awk '{print $2}' | grep -v -- '-security' | head -n 1)
  echo "$uri"
}

ag_install_pgvector() {
  local bindir=$1 version sharedir
  version=$(basename "$(dirname "$bindir")")
  sharedir=$("$bindir/pg_config" --sharedir 2>/dev/null || echo "/usr/share/postgresql/$version")
  [ -f "$sharedir/extension/vector.control" ] && return 0

  # A fresh machine may have no package lists yet: read them before asking.
  ag_apt_update_once
  if apt-cache show "postgresql-$version-pgvector" >/dev/null 2>&1; then
    ag_apt_install "postgresql-$version-pgvector"
    [ -f "$sharedir/extension/vector.control" ] && return 0
  fi

  # Not packaged for this release: build Debian's source package of the next release.
  . /etc/os-release
  local next mirror work
  next=$(ag_next_suite "${VERSION_CODENAME:-}")
  mirror=$(ag_debian_mirror)
  [ -n "$next" ] && [ -n "$mirror" ] || ag_die "pgvector is not packaged here and no Debian source suite could be derived; set ConnectionStrings__Gallery to a server with pgvector"
  ag_apt_install "postgresql-server-dev-$version" build-essential dpkg-dev
  work=$(mktemp -d)
  ag_log "building pgvector from the $next source package ($mirror)"
  mkdir -p "$work/lists/partial" "$work/cache/archives/partial"
  echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $next main" > "$work/sources.list"
  local opts=(-o "Dir::Etc::SourceList=$work/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
              -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache" -o "APT::Sandbox::User=root")
  apt-get "${opts[@]}" update -qq >/dev/null 2>&1 || ag_die "could not read the $next source index from $mirror"
  (cd "$work" && apt-get "${opts[@]}" source -qq pgvector >/dev/null 2>&1) || ag_die "apt-get source pgvector failed"
  local src
  src=$(find "$work" -maxdepth 1 -type d -name 'pgvector-*' | head -n 1)
  [ -n "$src" ] || ag_die "pgvector source did not unpack"
  make -s -C "$src" PG_CONFIG="$bindir/pg_config" OPTFLAGS="" >/dev/null 2>&1 || ag_die "building pgvector failed (see make -C $src)"
  ag_sudo make -s -C "$src" PG_CONFIG="$bindir/pg_config" install >/dev/null 2>&1 || ag_die "installing pgvector failed"
  rm -rf "$work"
  [ -f "$sharedir/extension/vector.control" ] || ag_die "pgvector did not install into $sharedir"
  ag_log "pgvector $(basename "$src" | sed 's/pgvector-//') installed"
}

# Runs a command as the cluster's owner.
ag_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u "$AG_PG_USER" -- "$@"; else "$@"; fi
}

ag_provision_database() {
  if [ -n "${ConnectionStrings__Gallery:-}" ]; then
    ag_log "using the database in ConnectionStrings__Gallery"
    return 0
  fi

  local bindir
  bindir=$(ag_pg_bindir)
  if [ -z "$bindir" ] || [ ! -x "$bindir/pg_ctl" ]; then
    ag_apt_install postgresql postgresql-contrib
    bindir=$(ag_pg_bindir)
  fi
  [ -x "$bindir/pg_ctl" ] || ag_die "PostgreSQL server binaries not found after install"
  ag_install_pgvector "$bindir"

  local key port
  key=$(printf '%s' "$AG_ROOT" | sha1sum | cut -c1-10)
  # A port derived from the checkout's path, so two checkouts never share (or fight over) a cluster.
  port=${ARTGALLERY_PG_PORT:-$((54000 + $(printf '%s' "$AG_ROOT" | cksum | cut -d' ' -f1) % 900))}

  if [ "$(id -u)" -eq 0 ]; then
    # PostgreSQL refuses to run as root: a dedicated user owns the cluster, kept where it can reach
    # it (a checkout under /root is not), and linked from .data/ so it is found from the checkout.
    AG_PG_USER=${ARTGALLERY_PG_USER:-artgallery}
    id "$AG_PG_USER" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$AG_PG_USER"
    AG_PG_HOME=/var/lib/artgallery/$key
    mkdir -p "$AG_PG_HOME"
    chown "$AG_PG_USER" "$AG_PG_HOME"
    chmod 700 "$AG_PG_HOME"
    ln -sfn "$AG_PG_HOME" "$AG_DATA/pg"
  else
    AG_PG_USER=$(id -un)
    AG_PG_HOME=$AG_DATA/pg
    mkdir -p "$AG_PG_HOME"
  fi

  # The password lives with the cluster, not the checkout: a fresh clone at the same path finds both.
  local pgdata=$AG_PG_HOME/data passfile=$AG_PG_HOME/password
  if [ -f "$pgdata/PG_VERSION" ] && [ ! -s "$passfile" ]; then
    local aside
    aside="$pgdata.orphaned-$(date +%Y%m%d%H%M%S)"
    ag_log "cluster in $pgdata has no password on record; moving it to $aside and starting afresh"
    ag_as_owner "$(ag_pg_bindir)/pg_ctl" -D "$pgdata" -m fast stop >/dev/null 2>&1 || true
    mv "$pgdata" "$aside"
  fi
  if [ ! -s "$passfile" ]; then
    (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$passfile")
  fi
  local password
  password=$(cat "$passfile")
  AG_PG_PASSWORD=$password

  if [ ! -f "$pgdata/PG_VERSION" ]; then
    ag_log "creating a private PostgreSQL cluster in $pgdata (port $port)"
    local pwtmp=$AG_PG_HOME/.pw
    printf '%s\n' "$password" > "$pwtmp"
    [ "$(id -u)" -eq 0 ] && chown "$AG_PG_USER" "$pwtmp"
    ag_as_owner "$bindir/initdb" -D "$pgdata" -U artgallery --pwfile="$pwtmp" -E UTF8 --locale=C.UTF-8 \
      --auth-local=scram-sha-256 --auth-host=scram-sha-256 >/dev/null || ag_die "initdb failed"
    rm -f "$pwtmp"
    cat >> "$pgdata/postgresql.conf" <<CONF
# ArtGallery private cluster
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$AG_PG_HOME'
shared_buffers = 256MB
maintenance_work_mem = 512MB
max_connections = 200
CONF
  fi

  if ! ag_as_owner "$bindir/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; then
    ag_log "starting PostgreSQL on 127.0.0.1:$port"
    ag_as_owner "$bindir/pg_ctl" -D "$pgdata" -l "$AG_PG_HOME/postgres.log" -w -t 60 start >/dev/null \
      || ag_die "PostgreSQL did not start; see $AG_PG_HOME/postgres.log"
  fi
  port=$(awk -F= '/^port *=/{gsub(/ /,"",$2); p=$2} END{print p}' "$pgdata/postgresql.conf")

  export PGPASSWORD=$password
  if ! "$bindir/psql" -h 127.0.0.1 -p "$port" -U artgallery -d postgres -tAc "select 1 from pg_database where datname='artgallery'" | grep -q 1; then
    "$bindir/psql" -h 127.0.0.1 -p "$port" -U artgallery -d postgres -qc "create database artgallery" >/dev/null || ag_die "could not create the database"
  fi
  unset PGPASSWORD

  export ConnectionStrings__Gallery="Host=127.0.0.1;Port=$port;Database=artgallery;Username=artgallery;Password=$password"
}
