# Sourced by scripts/infra.sh. With KAFKA_SECURITY=sasl the local broker takes SCRAM-SHA-512 users
# (admin, auth, group-management) and ACLs, one principal per app; otherwise every function here
# does nothing and the broker stays plain. Uses infra.sh's kafka_dir, kafka_port, root, say and die.
#
# Passwords come from KAFKA_SASL_{ADMIN,AUTH,GROUP_MANAGEMENT}_PASSWORD, or are generated once, and
# are written with what each app needs into $kafka_dir/sasl/<principal>.env (mode 600):
#   env $(cat .infra/kafka/sasl/auth.env) node dist/apps/auth/main.js
kafka_security="${KAFKA_SECURITY:-plaintext}"
sasl_dir="$kafka_dir/sasl"
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
    )
  done
}

sasl_read_password() {
  sed -n 's/^KAFKA_SASL_PASSWORD=//p' "$sasl_dir/$1.env"
}

# After the plain template: the secured listeners, the authorizer, and the admin's password.
sasl_configure() {
  sasl_check_mode
  sasl_enabled || return 0
  sasl_credentials
  local user
  for user in "${sasl_users[@]}"; do
    sasl_format_args+=(--add-scram "SCRAM-SHA-512=[name=$user,password=$(sasl_read_password "$user")]")
  done
  sed -e "s#@PORT@#$kafka_port#g" -e "s#@CONTROLLER_PORT@#$controller_port#g" \
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
    node "$root/infra/kafka/sasl/acls.js" || die "could not set the ACLs"
  say "SASL/SCRAM on 127.0.0.1:$kafka_port; each app's credentials are in $sasl_dir/<app>.env"
}
