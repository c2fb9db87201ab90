#!/bin/sh
# A TLS 1.0-only server for the hostile-server suite (dev.jsmtp.hostile.CertificateTest).
#
# The JDK disables TLS 1.0 JVM-wide (jdk.tls.disabledAlgorithms), so such a server cannot run inside the test JVM;
# this runs OpenSSL's s_server instead, out of process. OpenSSL 3 refuses TLS 1.0 at its default security level,
# hence "DEFAULT@SECLEVEL=0", which is the nearest thing to an old server that still speaks TLS 1.0.
#
# Usage: tls10-server.sh PKCS12 PASSWORD WORKDIR
#   PKCS12   the server identity (key, certificate and chain), e.g. TestCertificates.keyStore(TRUSTED)
#   PASSWORD its password
#   WORKDIR  a directory for the PEM copy of the identity
# Listens on 127.0.0.1 on a free port and prints "ACCEPT 127.0.0.1:PORT" on standard output; whatever a client
# sends after a handshake is printed there too. Runs until killed.
set -eu
p12=$1
password=$2
workdir=$3
openssl pkcs12 -in "$p12" -nodes -passin "pass:$password" -out "$workdir/server.pem" 2>/dev/null
exec openssl s_server -accept 127.0.0.1:0 -tls1 -cipher 'DEFAULT@SECLEVEL=0' \
    -cert "$workdir/server.pem" -key "$workdir/server.pem"
