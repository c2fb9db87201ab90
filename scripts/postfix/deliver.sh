#!/bin/sh
# Postfix pipe(8) delivery for the jsmtp test instance: writes the message to MAILDIR/QUEUEID.eml with CRLF line
# ends (as it would travel to a next hop) and its envelope to MAILDIR/QUEUEID.env:
#   MAIL FROM:<sender>
#   RCPT TO:<recipient>   (one line per recipient)
# Usage: deliver MAILDIR QUEUE_ID SENDER RECIPIENT...
# Exit 75 (EX_TEMPFAIL) makes Postfix retry instead of bouncing.
set -u
[ $# -ge 4 ] || { echo "usage: deliver MAILDIR QUEUE_ID SENDER RECIPIENT..." >&2; exit 64; }
dir=$1 qid=$2 sender=$3
shift 3
umask 022
tmp=$(mktemp "$dir/.incoming.XXXXXX") && chmod 644 "$tmp" || exit 75
# pipe(8) hands over lines ending in LF; Postfix keeps a CR that was not part of a line end, so adding one CR
# per LF gives back the octets of the body as a relay would send them.
if ! LC_ALL=C sed 's/$/\r/' > "$tmp"; then
    rm -f "$tmp"
    exit 75
fi
(
    flock 9 || exit 75
    # The envelope is complete before the .eml appears: a reader that sees the .eml can trust the .env.
    if [ ! -e "$dir/$qid.env" ]; then
        printf 'MAIL FROM:<%s>\n' "$sender" > "$dir/$qid.env.tmp" || exit 75
    else
        cp "$dir/$qid.env" "$dir/$qid.env.tmp" || exit 75
    fi
    for rcpt in "$@"; do
        printf 'RCPT TO:<%s>\n' "$rcpt" >> "$dir/$qid.env.tmp" || exit 75
    done
    mv -f "$dir/$qid.env.tmp" "$dir/$qid.env" || exit 75
    if [ -e "$dir/$qid.eml" ]; then
        rm -f "$tmp"
    else
        mv "$tmp" "$dir/$qid.eml" || exit 75
    fi
) 9> "$dir/.lock"
status=$?
rm -f "$tmp"
exit $status
