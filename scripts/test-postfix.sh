#!/usr/bin/env bash
# Starts, stops or reports a PRIVATE Postfix instance for jsmtp's integration tests (issue #5).
#
#   scripts/test-postfix.sh start|stop|status
#
# Everything lives in one state directory, ${JSMTP_POSTFIX_DIR:-/tmp/jsmtp-postfix}: configuration (etc/),
# queue (queue/), data (data/), delivered mail (maildir/), the log (postfix.log), the test CA (ca.pem) and
# ports.env, which tests read. The instance listens on 127.0.0.1 only; /etc/postfix and any system instance
# are left alone. When Postfix or Cyrus SASL is missing, start installs them from Debian's packages (root only).
#
# Ports (override with the environment variables of the same name):
#   JSMTP_POSTFIX_PLAIN_PORT        10025  no TLS, no AUTH
#   JSMTP_POSTFIX_PLAIN_AUTH_PORT   10026  no TLS, AUTH over cleartext
#   JSMTP_POSTFIX_SUBMISSION_PORT   10587  STARTTLS, AUTH only after it
#   JSMTP_POSTFIX_SUBMISSIONS_PORT  10465  implicit TLS, AUTH
#
# Exit codes: 0 done, 1 failed, 2 usage, 3 Postfix cannot be installed or started here (not root, no apt-get).
set -euo pipefail

STATE=${JSMTP_POSTFIX_DIR:-/tmp/jsmtp-postfix}
PLAIN_PORT=${JSMTP_POSTFIX_PLAIN_PORT:-10025}
PLAIN_AUTH_PORT=${JSMTP_POSTFIX_PLAIN_AUTH_PORT:-10026}
SUBMISSION_PORT=${JSMTP_POSTFIX_SUBMISSION_PORT:-10587}
SUBMISSIONS_PORT=${JSMTP_POSTFIX_SUBMISSIONS_PORT:-10465}
SIZE_LIMIT=${JSMTP_POSTFIX_SIZE_LIMIT:-20971520}
TEST_USER=jsmtp-test
REJECTED=rejected@example.com
TEMPLATES=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/postfix
MARKER=.jsmtp-postfix-state
PACKAGES=(postfix sasl2-bin libsasl2-modules openssl)

log() { echo "test-postfix: $*" >&2; }
die() { log "$*"; exit 1; }

postfix_cmd() { /usr/sbin/postfix -c "$STATE/etc" "$@"; }

is_running() {
    [ -f "$STATE/etc/main.cf" ] && [ -x /usr/sbin/postfix ] && postfix_cmd status >/dev/null 2>&1
}

missing_packages() {
    local p
    for p in "${PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"
    done
}

install_packages() {
    local missing
    missing=$(missing_packages | tr '\n' ' ')
    [ -z "${missing// /}" ] && return 0
    if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
        log "cannot install ($missing): needs root and apt-get"
        exit 3
    fi
    local had_main_cf=no
    [ -e /etc/postfix/main.cf ] && had_main_cf=yes
    log "installing $missing"
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
    export DEBIAN_FRONTEND=noninteractive
    # shellcheck disable=SC2086
    if ! apt-get install -y -q --no-install-recommends $missing >"$STATE.apt.log" 2>&1; then
        log "apt-get install failed; updating the package lists and trying again"
        apt-get update -q >>"$STATE.apt.log" 2>&1 || { cat "$STATE.apt.log" >&2; die "apt-get update failed"; }
        # shellcheck disable=SC2086
        apt-get install -y -q --no-install-recommends $missing >>"$STATE.apt.log" 2>&1 \
            || { cat "$STATE.apt.log" >&2; die "apt-get install $missing failed"; }
    fi
    rm -f "$STATE.apt.log"
    # "No configuration" leaves no main.cf, so the system instance cannot have started; if some other preseed
    # made one start, stop it: nothing may listen that this script did not start.
    if [ "$had_main_cf" = no ] && [ -e /etc/postfix/main.cf ] && /usr/sbin/postfix status >/dev/null 2>&1; then
        log "stopping the system Postfix instance the package started"
        /usr/sbin/postfix stop >/dev/null 2>&1 || true
        command -v systemctl >/dev/null && systemctl disable postfix >/dev/null 2>&1 || true
    fi
}

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Reads the first reply line on a port; implicit TLS ports go through openssl s_client.
greeting() {
    local port=$1 tls=${2:-}
    if [ "$tls" = tls ]; then
        # QUIT is sent a moment after the handshake, so that it does not race the greeting.
        { sleep 0.3; printf 'QUIT\r\n'; } | timeout 5 openssl s_client -connect "127.0.0.1:$port" -quiet \
            -no_ign_eof -CAfile "$STATE/ca.pem" -verify_return_error 2>/dev/null | head -n 1 || true
    else
        timeout 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port && head -n 1 <&3 && printf 'QUIT\r\n' >&3" \
            2>/dev/null || true
    fi
}

render() {
    sed -e "s|@STATE@|$STATE|g" -e "s|@PLAIN_PORT@|$PLAIN_PORT|g" -e "s|@PLAIN_AUTH_PORT@|$PLAIN_AUTH_PORT|g" \
        -e "s|@SUBMISSION_PORT@|$SUBMISSION_PORT|g" -e "s|@SUBMISSIONS_PORT@|$SUBMISSIONS_PORT|g" \
        -e "s|@SIZE_LIMIT@|$SIZE_LIMIT|g" "$1" > "$2"
}

make_certificates() {
    local etc=$STATE/etc
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 \
        -subj "/CN=jsmtp test CA $(date -u +%Y%m%dT%H%M%S)" \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
        -keyout "$etc/ca.key" -out "$STATE/ca.pem" 2>/dev/null
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=localhost" \
        -keyout "$etc/server.key" -out "$etc/server.csr" 2>/dev/null
    printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
        "extendedKeyUsage=serverAuth" "subjectAltName=DNS:localhost,IP:127.0.0.1" > "$etc/server.ext"
    openssl x509 -req -in "$etc/server.csr" -CA "$STATE/ca.pem" -CAkey "$etc/ca.key" -CAserial "$etc/ca.srl" -CAcreateserial \
        -days 30 -extfile "$etc/server.ext" -out "$etc/server.pem" 2>/dev/null
    chmod 600 "$etc/ca.key" "$etc/server.key"
    rm -f "$etc/server.csr" "$etc/server.ext"
}

make_sasldb() {
    local password=$1 etc=$STATE/etc
    mkdir -p "$etc/sasl"
    render "$TEMPLATES/smtpd.conf.in" "$etc/sasl/smtpd.conf"
    printf '%s' "$password" | saslpasswd2 -p -c -f "$etc/sasldb2" -u jsmtp.test "$TEST_USER"
    # smtpd runs as the postfix user when it reads the database.
    chown root:postfix "$etc"/sasldb2*
    chmod 640 "$etc"/sasldb2*
}

write_ports_env() {
    local password=$1
    cat > "$STATE/ports.env.tmp" <<EOF
JSMTP_POSTFIX_HOST=127.0.0.1
JSMTP_POSTFIX_PLAIN_PORT=$PLAIN_PORT
JSMTP_POSTFIX_PLAIN_AUTH_PORT=$PLAIN_AUTH_PORT
JSMTP_POSTFIX_SUBMISSION_PORT=$SUBMISSION_PORT
JSMTP_POSTFIX_SUBMISSIONS_PORT=$SUBMISSIONS_PORT
JSMTP_POSTFIX_USER=$TEST_USER
JSMTP_POSTFIX_PASSWORD=$password
JSMTP_POSTFIX_CA=$STATE/ca.pem
JSMTP_POSTFIX_MAILDIR=$STATE/maildir
JSMTP_POSTFIX_LOG=$STATE/postfix.log
JSMTP_POSTFIX_REJECTED=$REJECTED
JSMTP_POSTFIX_SIZE_LIMIT=$SIZE_LIMIT
JSMTP_POSTFIX_VERSION=$(/usr/sbin/postconf -c "$STATE/etc" -h mail_version 2>/dev/null)
EOF
    mv "$STATE/ports.env.tmp" "$STATE/ports.env"
}

# Empties the state directory, refusing to wipe one this script did not create.
reset_state() {
    case "$STATE" in
        /*) ;;
        *) die "JSMTP_POSTFIX_DIR must be an absolute path: $STATE" ;;
    esac
    if [ -d "$STATE" ] && [ -n "$(ls -A "$STATE")" ] && [ ! -e "$STATE/$MARKER" ]; then
        die "$STATE exists, is not empty and was not made by this script; choose another JSMTP_POSTFIX_DIR"
    fi
    rm -rf "$STATE"
    mkdir -p "$STATE"/{etc,bin,data,queue,maildir}
    touch "$STATE/$MARKER"
    chmod 755 "$STATE" "$STATE/etc" "$STATE/bin"
}

start() {
    local began=$SECONDS
    # Postfix's master runs as root; without root there is nothing this script can start.
    if [ "$(id -u)" -ne 0 ]; then
        log "cannot start Postfix: needs root"
        exit 3
    fi
    mkdir -p "$(dirname "$STATE")"
    install_packages
    if is_running; then
        log "already running; restarting"
        stop
    fi
    local port
    for port in "$PLAIN_PORT" "$PLAIN_AUTH_PORT" "$SUBMISSION_PORT" "$SUBMISSIONS_PORT"; do
        port_in_use "$port" && die "port $port on 127.0.0.1 is already in use by something this script did not start"
    done
    reset_state
    local etc=$STATE/etc password
    password=$(openssl rand -hex 12)
    render "$TEMPLATES/main.cf.in" "$etc/main.cf"
    render "$TEMPLATES/master.cf.in" "$etc/master.cf"
    render "$TEMPLATES/recipient_access.in" "$etc/recipient_access"
    install -m 755 "$TEMPLATES/deliver.sh" "$STATE/bin/deliver"
    chown nobody:nogroup "$STATE/maildir"
    chown postfix "$STATE/data"
    make_certificates
    make_sasldb "$password"
    # "postfix start" runs the integrity check, which creates the queue's subdirectories.
    local out
    if ! out=$(postfix_cmd start 2>&1); then
        echo "$out" >&2
        tail -n 20 "$STATE/postfix.log" >&2 2>/dev/null || true
        die "postfix start failed"
    fi
    local ready=no i
    for i in $(seq 1 100); do
        if [[ "$(greeting "$PLAIN_PORT")" == 220* ]] && [[ "$(greeting "$SUBMISSION_PORT")" == 220* ]] \
            && [[ "$(greeting "$PLAIN_AUTH_PORT")" == 220* ]] && [[ "$(greeting "$SUBMISSIONS_PORT" tls)" == 220* ]]; then
            ready=yes
            break
        fi
        sleep 0.1
    done
    if [ "$ready" != yes ]; then
        tail -n 30 "$STATE/postfix.log" >&2 2>/dev/null || true
        stop || true
        die "Postfix did not answer on all ports"
    fi
    write_ports_env "$password"
    log "Postfix $(/usr/sbin/postconf -c "$STATE/etc" -h mail_version) up in $((SECONDS - began)) s: plain $PLAIN_PORT," \
        "plain+AUTH $PLAIN_AUTH_PORT, STARTTLS $SUBMISSION_PORT, implicit TLS $SUBMISSIONS_PORT; see $STATE/ports.env"
}

stop() {
    if [ ! -f "$STATE/etc/main.cf" ] || [ ! -x /usr/sbin/postfix ]; then
        log "not running (no instance in $STATE)"
        return 0
    fi
    local pidfile=$STATE/queue/pid/master.pid pid=""
    [ -f "$pidfile" ] && pid=$(tr -dc 0-9 < "$pidfile")
    if is_running; then
        postfix_cmd stop >/dev/null 2>&1 || true
    fi
    # master's children exit with it; wait for it, and end it by its own pid only if it lingers.
    local i
    for i in $(seq 1 50); do
        if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
            break
        fi
        sleep 0.1
    done
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        log "master $pid did not stop; killing it"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$STATE/ports.env"
    log "stopped"
}

status() {
    if is_running; then
        echo "running: Postfix instance in $STATE"
        local port
        for port in "$PLAIN_PORT" "$PLAIN_AUTH_PORT" "$SUBMISSION_PORT"; do
            echo "  127.0.0.1:$port $(greeting "$port" | tr -d '\r')"
        done
        echo "  127.0.0.1:$SUBMISSIONS_PORT (TLS) $(greeting "$SUBMISSIONS_PORT" tls | tr -d '\r')"
        [ -f "$STATE/ports.env" ] && sed 's/^/  /' "$STATE/ports.env"
        return 0
    fi
    echo "not running: no Postfix instance in $STATE"
    return 1
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
