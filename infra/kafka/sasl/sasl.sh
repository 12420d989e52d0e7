# Sourced by scripts/infra.sh. With KAFKA_SECURITY=sasl the local broker listens with TLS (a CA of
# its own) and SCRAM-SHA-512 users (admin, auth, group-management), and ACLs give one principal per
# app what it needs; otherwise every function here does nothing and the broker stays plain. Uses
# infra.sh's kafka_dir, kafka_port, controller_port, root, need, say and die.
#
# Passwords come from KAFKA_SASL_{ADMIN,AUTH,GROUP_MANAGEMENT}_PASSWORD, or are generated once, and
# are written with what each app needs into $kafka_dir/sasl/<principal>.env (mode 600):
#   env $(cat .infra/kafka/sasl/auth.env) node dist/apps/auth/apps/auth/src/main.js
kafka_security="${KAFKA_SECURITY:-plaintext}"
sasl_dir="$kafka_dir/sasl"
tls_dir="$kafka_dir/sasl/tls"
sasl_users=(admin auth group-management)
# Extra arguments for StorageTool format: one SCRAM user per principal (KIP-900); set by sasl_configure.
sasl_format_args=()

case "$kafka_security" in
  plaintext | sasl) ;;
  *) die "KAFKA_SECURITY must be plaintext or sasl, not $kafka_security" ;;
esac

sasl_enabled() {
  [ "$kafka_security" = sasl ]
}

# The storage remembers the mode it was formatted for: a plain broker has no users to log in with.
sasl_check_mode() {
  local marker="$kafka_dir/data/.security"
  if [ -f "$kafka_dir/data/meta.properties" ]; then
    local formatted
    formatted="$(cat "$marker" 2>/dev/null || echo plaintext)"
    [ "$formatted" = "$kafka_security" ] ||
      die "the broker in $kafka_dir was set up with KAFKA_SECURITY=$formatted; run infra:down and delete $kafka_dir/data, or use another INFRA_DIR"
  fi
}

sasl_password() {
  local var="KAFKA_SASL_$(echo "$1" | tr 'a-z-' 'A-Z_')_PASSWORD"
  local password="${!var:-}"
  if [ -z "$password" ]; then
    password="$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')"
  fi
  # It goes inside --add-scram's [name=...,password=...] and a JAAS line: no commas, brackets or quotes.
  [[ "$password" =~ ^[A-Za-z0-9_-]{12,}$ ]] || die "$var must be 12 or more letters, digits, - or _"
  echo "$password"
}

# Credentials are made once, with the storage; later runs read them back.
sasl_credentials() {
  mkdir -p "$sasl_dir"
  chmod 700 "$sasl_dir"
  local user
  for user in "${sasl_users[@]}"; do
    local file="$sasl_dir/$user.env"
    [ -f "$file" ] && continue
    [ ! -f "$kafka_dir/data/meta.properties" ] || die "$file is missing but the storage exists; delete $kafka_dir/data"
    local password
    password="$(sasl_password "$user")" || exit 1
    (
      umask 077
      printf 'KAFKA_SASL_MECHANISM=scram-sha-512\nKAFKA_SASL_USERNAME=%s\nKAFKA_SASL_PASSWORD=%s\n' "$user" "$password" >"$file"
      printf 'KAFKA_SSL=true\nKAFKA_SSL_CA_FILE=%s\n' "$tls_dir/ca.pem" >>"$file"
    )
  done
}

# A CA and a certificate for 127.0.0.1 signed by it, made once with the credentials. The CA's key
# is deleted once it has signed: nothing else is ever signed by it.
sasl_tls_material() {
  [ -f "$tls_dir/broker.pem" ] && return 0
  need openssl "install OpenSSL to make the local broker's TLS certificate (Debian: apt-get install openssl)"
  mkdir -p "$tls_dir"
  (
    cd "$tls_dir"
    umask 077
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=PlayBall local Kafka CA" \
      -keyout ca.key -out ca.pem 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout broker.key -out broker.csr 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >san.ext
    openssl x509 -req -in broker.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 3650 \
      -extfile san.ext -out broker.crt 2>/dev/null
    cat broker.key broker.crt >broker.pem
    rm -f ca.key ca.srl broker.csr broker.key broker.crt san.ext
    chmod 644 ca.pem
  ) || die "could not make the TLS certificate in $tls_dir"
}

sasl_read_password() {
  sed -n 's/^KAFKA_SASL_PASSWORD=//p' "$sasl_dir/$1.env"
}

# After the plain template: the secured listeners, the authorizer, and the admin's password.
sasl_configure() {
  sasl_check_mode
  sasl_enabled || return 0
  sasl_credentials
  sasl_tls_material
  local user
  for user in "${sasl_users[@]}"; do
    sasl_format_args+=(--add-scram "SCRAM-SHA-512=[name=$user,password=$(sasl_read_password "$user")]")
  done
  sed -e "s#@PORT@#$kafka_port#g" -e "s#@CONTROLLER_PORT@#$controller_port#g" -e "s#@TLS_DIR@#$tls_dir#g" \
    -e "s#@ADMIN_PASSWORD@#$(sasl_read_password admin)#g" \
    "$root/infra/kafka/sasl/server.properties.template" >>"$1"
  chmod 600 "$1"
}

sasl_mark_formatted() {
  echo "$kafka_security" >"$kafka_dir/data/.security"
}

sasl_apply_acls() {
  sasl_enabled || return 0
  KAFKA_BROKERS="127.0.0.1:$kafka_port" KAFKA_SASL_ADMIN_PASSWORD="$(sasl_read_password admin)" \
    KAFKA_SSL_CA_FILE="$tls_dir/ca.pem" node "$root/infra/kafka/sasl/acls.js" || die "could not set the ACLs"
  say "TLS and SASL/SCRAM on 127.0.0.1:$kafka_port; each app's settings are in $sasl_dir/<app>.env"
}
